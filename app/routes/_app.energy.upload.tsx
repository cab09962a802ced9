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

const RESAMPLE = [
  { value: "", label: "No resampling" },
  { value: "60", label: "1 minute" },
  { value: "300", label: "5 minutes" },
  { value: "900", label: "15 minutes" },
  { value: "1800", label: "30 minutes" },
  { value: "3600", label: "1 hour" },
  { value: "86400", label: "1 day" },
];

export default function EnergyUpload() {
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
        setFileError(r.reasons.join("; "));
        return;
      }
      setInfo(r);
      setTsCol(r.columns.find((c) => c.inferredType === "timestamp")?.name ?? null);
      setTargetCol(r.columns.find((c) => c.inferredType === "numeric")?.name ?? null);
      setNumCovs([]);
      setCatCovs([]);
    },
    onError: (e) => setFileError(e.message),
  });
  const commit = trpc.energy.uploads.commit.useMutation({
    onSuccess: setResult,
    onError: (e) => setFileError(e.message),
  });
  const stored = result?.ok ? result : null;
  const chart = trpc.energy.assets.series.useQuery({ id: stored?.assetId ?? 0, range: "all" }, { enabled: !!stored });

  async function onDrop(files: File[]) {
    const f = files[0];
    setFileError(null);
    setInfo(null);
    setResult(null);
    if (f.size > MAX_BYTES) {
      setFileError("The file is larger than 20 MB");
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
        ← Energy Lab
      </Anchor>
      <Title order={2}>Upload a series</Title>
      <Text size="sm" c="dimmed">
        CSV or XLSX (first sheet), one header row, at most 20 MB and 1,000,000 rows. Timestamps: ISO 8601 (e.g.
        2024-03-01T13:45:00Z), yyyy-mm-dd HH:MM:SS or dd/mm/yyyy HH:MM (day first); timestamps without a time zone are
        read as UTC. A mapped column may have at most 5 % cells that do not parse; otherwise nothing is stored.
      </Text>
      <Dropzone
        onDrop={(f) => void onDrop(f)}
        maxFiles={1}
        maxSize={MAX_BYTES}
        loading={inspect.isPending}
        onReject={() => setFileError("Only one CSV or XLSX file of at most 20 MB")}
        accept={[
          "text/csv",
          "text/plain",
          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
          "application/vnd.ms-excel",
        ]}
        data-testid="energy-dropzone"
      >
        <Text ta="center" py="lg">
          {file
            ? `${file.name} — drop another file to replace it`
            : "Drop a CSV or XLSX file here, or click to choose one"}
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
            Columns ({info.rowCount.toLocaleString("en")} rows, {info.format.toUpperCase()})
          </Title>
          <Table withTableBorder mt="xs" data-testid="energy-columns">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Column</Table.Th>
                <Table.Th>Inferred type</Table.Th>
                <Table.Th>Non-empty</Table.Th>
                <Table.Th>Examples</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {columns.map((c) => (
                <Table.Tr key={c.index}>
                  <Table.Td>{c.name}</Table.Td>
                  <Table.Td>{c.inferredType}</Table.Td>
                  <Table.Td>{c.nonEmpty}</Table.Td>
                  <Table.Td>{c.examples.join(" · ")}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="sm" mt="sm" fw={600}>
            Preview
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
            Mapping and options
          </Title>
          <Group grow align="flex-start" mt="xs">
            <Select
              label="Timestamp column"
              data={columns.map((c) => c.name)}
              value={tsCol}
              onChange={setTsCol}
              data-testid="map-timestamp"
            />
            <Select
              label="Target column"
              data={columns.filter((c) => c.name !== tsCol).map((c) => c.name)}
              value={targetCol}
              onChange={setTargetCol}
              data-testid="map-target"
            />
          </Group>
          <Group grow align="flex-start" mt="xs">
            <MultiSelect
              label="Numeric covariates"
              data={others.filter((c) => !catCovs.includes(c.name)).map((c) => c.name)}
              value={numCovs}
              onChange={setNumCovs}
            />
            <MultiSelect
              label="Categorical covariates"
              data={others.filter((c) => !numCovs.includes(c.name)).map((c) => c.name)}
              value={catCovs}
              onChange={setCatCovs}
            />
          </Group>
          <Group grow align="flex-start" mt="xs">
            <Select
              label="Resample to"
              description="mean for numeric, last value for categorical"
              data={RESAMPLE}
              value={resample}
              onChange={(v) => setResample(v ?? "")}
            />
            <Select
              label="Gap filling"
              data={[
                { value: "none", label: "None" },
                { value: "ffill", label: "Forward fill" },
                { value: "linear", label: "Linear interpolation" },
              ]}
              value={fill}
              onChange={(v) => setFill((v as typeof fill) ?? "none")}
            />
            <NumberInput
              label="Max gap to fill (steps)"
              min={0}
              max={10000}
              value={maxGap}
              onChange={(v) => setMaxGap(Number(v) || 0)}
              disabled={fill === "none"}
            />
          </Group>
          <Radio.Group label="Store into" mt="sm" value={dest} onChange={(v) => setDest(v as typeof dest)}>
            <Group mt={4}>
              <Radio value="new" label="A new asset" />
              <Radio value="existing" label="One of my assets (append)" disabled={own.length === 0} />
            </Group>
          </Radio.Group>
          {dest === "new" ? (
            <TextInput
              label="New asset name"
              value={newName}
              onChange={(e) => setNewName(e.currentTarget.value)}
              maw={400}
              data-testid="energy-new-asset-name"
            />
          ) : (
            <Select
              label="Asset"
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
            Validate and store
          </Button>
        </Card>
      )}

      {result && <UploadReport result={result} />}
      {stored && chart.data && (
        <Card withBorder>
          <Group justify="space-between">
            <Title order={4}>Stored series</Title>
            <Anchor component={Link} to={`/energy/assets/${stored.assetId}`}>
              Open the asset →
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

export function meta() {
  return [{ title: "Upload a series · Energy Lab · VoltLab" }];
}
