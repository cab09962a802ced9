import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  MultiSelect,
  NumberInput,
  Radio,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { trpc, type RouterOutputs } from "../lib/trpc";
import { QuotaLine } from "../components/quota-line";
import { UploadReport } from "../components/energy/upload-report";
import { SeriesChart } from "../components/energy/series-chart";
import { errorMessage } from "../lib/form-errors";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { useReasons } from "../components/energy/reasons";

export async function loader({ context }: LoaderFunctionArgs) {
  const assets = await context.trpc.energy.assets.list();
  return json({ own: assets.filter((a) => !a.readOnly).map((a) => ({ id: a.id, name: a.name })) });
}

const MAX_BYTES = 20 * 1024 * 1024;
type Inspect = Extract<RouterOutputs["energy"]["uploads"]["inspect"], { ok: true }>;
type Commit = RouterOutputs["energy"]["uploads"]["commit"];

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf);
  let s = "";
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/** Resampling steps the form offers, in seconds. */
const RESAMPLE = ["60", "300", "900", "1800", "3600", "86400"] as const;

export default function EnergyUpload() {
  const { t } = useTranslation("energy");
  const { n } = useFormat();
  const reasonsOf = useReasons();
  const { own } = useLoaderData<typeof loader>();
  const [file, setFile] = useState<{ name: string; b64: string } | null>(null);
  const [info, setInfo] = useState<Inspect | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [tsCol, setTsCol] = useState<string | null>(null);
  const [targetCol, setTargetCol] = useState<string | null>(null);
  const [numCovs, setNumCovs] = useState<string[]>([]);
  const [catCovs, setCatCovs] = useState<string[]>([]);
  const [resample, setResample] = useState<string>("");
  const [fill, setFill] = useState<"none" | "ffill" | "linear">("none");
  const [maxGap, setMaxGap] = useState<number>(4);
  const [dest, setDest] = useState<"new" | "existing">("new");
  const [newName, setNewName] = useState("");
  const [assetId, setAssetId] = useState<string | null>(null);
  const [result, setResult] = useState<Commit | null>(null);

  const inspect = trpc.energy.uploads.inspect.useMutation({
    onSuccess: (r) => {
      if (!r.ok) {
        setFileError(reasonsOf(r).join("; "));
        return;
      }
      setInfo(r);
      setTsCol(r.columns.find((c) => c.inferredType === "timestamp")?.name ?? null);
      setTargetCol(r.columns.find((c) => c.inferredType === "numeric")?.name ?? null);
      setNumCovs([]);
      setCatCovs([]);
    },
    onError: (e) => setFileError(errorMessage(e)),
  });
  const commit = trpc.energy.uploads.commit.useMutation({
    onSuccess: setResult,
    onError: (e) => setFileError(errorMessage(e)),
  });
  const stored = result?.ok ? result : null;
  const chart = trpc.energy.assets.series.useQuery({ id: stored?.assetId ?? 0, range: "all" }, { enabled: !!stored });

  async function onDrop(files: File[]) {
    const f = files[0];
    setFileError(null);
    setInfo(null);
    setResult(null);
    if (f.size > MAX_BYTES) {
      setFileError(t("reasons.tooLarge"));
      return;
    }
    const b64 = toBase64(await f.arrayBuffer());
    setFile({ name: f.name, b64 });
    inspect.mutate({ fileName: f.name, contentBase64: b64 });
  }

  const columns = info?.columns ?? [];
  const others = columns.filter((c) => c.name !== tsCol && c.name !== targetCol);
  const submit = () => {
    if (!file || !tsCol || !targetCol) return;
    setResult(null);
    commit.mutate({
      fileName: file.name,
      contentBase64: file.b64,
      mapping: {
        timestampColumn: tsCol,
        targetColumn: targetCol,
        covariates: [
          ...numCovs.map((c) => ({ column: c, kind: "numeric" as const })),
          ...catCovs.map((c) => ({ column: c, kind: "categorical" as const })),
        ],
      },
      options: { resampleSeconds: resample ? Number(resample) : null, fill, maxGapSteps: maxGap },
      assetId: dest === "existing" && assetId ? Number(assetId) : null,
      newAssetName: dest === "new" ? newName : null,
    });
  };

  return (
    <Stack maw={1200}>
      <Anchor component={Link} to="/energy" size="sm">
        {t("back")}
      </Anchor>
      <Title order={2}>{t("upload.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("upload.help")}
      </Text>
      <Dropzone
        onDrop={(f) => void onDrop(f)}
        maxFiles={1}
        maxSize={MAX_BYTES}
        loading={inspect.isPending}
        onReject={() => setFileError(t("upload.dropRejected"))}
        accept={[
          "text/csv",
          "text/plain",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.ms-excel",
        ]}
        data-testid="energy-dropzone"
      >
        <Text ta="center" py="lg">
          {file ? t("upload.replace", { name: file.name }) : t("upload.drop")}
        </Text>
      </Dropzone>
      <QuotaLine kind="uploads" />
      {fileError && (
        <Alert color="red" data-testid="energy-file-error">
          {fileError}
        </Alert>
      )}

      {info && (
        <Card withBorder>
          <Title order={4}>
            {t("upload.columnsTitle", { rows: n(info.rowCount), format: info.format.toUpperCase() })}
          </Title>
          <Table withTableBorder mt="xs" data-testid="energy-columns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("upload.column")}</Table.Th>
                <Table.Th>{t("upload.inferredType")}</Table.Th>
                <Table.Th>{t("upload.nonEmpty")}</Table.Th>
                <Table.Th>{t("upload.examples")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {columns.map((c) => (
                <Table.Tr key={c.index}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{t(`upload.type.${c.inferredType}`)}</Table.Td>
                  <Table.Td>{n(c.nonEmpty)}</Table.Td>
                  <Table.Td>{c.examples.join(" · ")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" mt="sm" fw={600}>
            {t("upload.preview")}
          </Text>
          <Table.ScrollContainer minWidth={600} mah={220}>
            <Table withTableBorder fz="xs">
              <Table.Thead>
                <Table.Tr>
                  {columns.map((c) => (
                    <Table.Th key={c.index}>{c.name}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {info.preview.slice(0, 8).map((r, i) => (
                  <Table.Tr key={i}>
                    {r.map((v, j) => (
                      <Table.Td key={j}>{v}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>

          <Title order={4} mt="md">
            {t("upload.mappingTitle")}
          </Title>
          <Group grow align="flex-start" mt="xs">
            <Select
              label={t("upload.timestampColumn")}
              data={columns.map((c) => c.name)}
              value={tsCol}
              onChange={setTsCol}
              data-testid="map-timestamp"
            />
            <Select
              label={t("upload.targetColumn")}
              data={columns.filter((c) => c.name !== tsCol).map((c) => c.name)}
              value={targetCol}
              onChange={setTargetCol}
              data-testid="map-target"
            />
          </Group>
          <Group grow align="flex-start" mt="xs">
            <MultiSelect
              label={t("upload.numericCovariates")}
              data={others.filter((c) => !catCovs.includes(c.name)).map((c) => c.name)}
              value={numCovs}
              onChange={setNumCovs}
            />
            <MultiSelect
              label={t("upload.categoricalCovariates")}
              data={others.filter((c) => !numCovs.includes(c.name)).map((c) => c.name)}
              value={catCovs}
              onChange={setCatCovs}
            />
          </Group>
          <Group grow align="flex-start" mt="xs">
            <Select
              label={t("upload.resample")}
              description={t("upload.resampleHelp")}
              data={[
                { value: "", label: t("upload.resampleNone") },
                ...RESAMPLE.map((v) => ({ value: v, label: t(`upload.every.${v}`) })),
              ]}
              value={resample}
              onChange={(v) => setResample(v ?? "")}
            />
            <Select
              label={t("upload.fill")}
              data={[
                { value: "none", label: t("upload.fillNone") },
                { value: "ffill", label: t("upload.fillForward") },
                { value: "linear", label: t("upload.fillLinear") },
              ]}
              value={fill}
              onChange={(v) => setFill((v as typeof fill) ?? "none")}
            />
            <NumberInput
              label={t("upload.maxGap")}
              min={0}
              max={10000}
              value={maxGap}
              onChange={(v) => setMaxGap(Number(v) || 0)}
              disabled={fill === "none"}
            />
          </Group>
          <Radio.Group label={t("upload.storeInto")} mt="sm" value={dest} onChange={(v) => setDest(v as typeof dest)}>
            <Group mt={4}>
              <Radio value="new" label={t("upload.newAsset")} />
              <Radio value="existing" label={t("upload.existingAsset")} disabled={own.length === 0} />
            </Group>
          </Radio.Group>
          {dest === "new" ? (
            <TextInput
              label={t("upload.newAssetName")}
              value={newName}
              onChange={(e) => setNewName(e.currentTarget.value)}
              maw={400}
              data-testid="energy-new-asset-name"
            />
          ) : (
            <Select
              label={t("upload.asset")}
              data={own.map((a) => ({ value: String(a.id), label: a.name }))}
              value={assetId}
              onChange={setAssetId}
              maw={400}
            />
          )}
          <Button
            mt="md"
            onClick={submit}
            loading={commit.isPending}
            disabled={!tsCol || !targetCol || (dest === "new" ? !newName.trim() : !assetId)}
            data-testid="energy-commit"
          >
            {t("upload.submit")}
          </Button>
        </Card>
      )}

      {result && <UploadReport result={result} />}
      {stored && chart.data && (
        <Card withBorder>
          <Group justify="space-between">
            <Title order={4}>{t("upload.storedTitle")}</Title>
            <Anchor component={Link} to={`/energy/assets/${stored.assetId}`}>
              {t("upload.openAsset")}
            </Anchor>
          </Group>
          <SeriesChart
            t={chart.data.t}
            v={chart.data.v}
            flagged={chart.data.flagged}
            name={targetCol ?? "value"}
            height={260}
          />
        </Card>
      )}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "energy:upload.title");
