import { useState } from "react";
import { useSearchParams } from "@remix-run/react";
import {
  Alert,
  Button,
  Card,
  FileInput,
  Group,
  Loader,
  SegmentedControl,
  Select,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { ForecastChart } from "../components/energy-models/forecast-chart";
import { NaiveAlert } from "../components/energy-models/naive-warning";
import { errorMessage } from "../lib/form-errors";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";

export const meta = (args: MetaArgs) => pageTitle(args, "forecast:page.title");

export default function EnergyForecast() {
  const { t } = useTranslation("forecast");
  const { n } = useFormat();
  const v2 = (x: number) => n(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const [params, setParams] = useSearchParams();
  const versions = trpc.energyModels.list.useQuery({});
  const assets = trpc.energy.assets.list.useQuery();
  const ready = (versions.data ?? []).filter((v) => v.status === "SUCCEEDED");
  const versionId = Number(params.get("version")) || ready[0]?.id || 0;
  const [source, setSource] = useState<"asset" | "file">("asset");
  const latest = trpc.energyModels.forecast.useQuery(
    { id: versionId },
    { enabled: versionId > 0 && source === "asset", retry: false },
  );
  const fromFile = trpc.energyModels.forecastFromFile.useMutation();
  const fileResult = fromFile.data && fromFile.data.versionId === versionId ? fromFile.data : null;
  const forecast =
    source === "asset"
      ? { data: latest.data, error: latest.error, isLoading: latest.isLoading }
      : { data: fileResult ?? undefined, error: fromFile.error, isLoading: fromFile.isPending };
  const utils = trpc.useUtils();
  const assetName = (id: number) => assets.data?.find((a) => a.id === id)?.name ?? t("page.assetFallback", { id });
  const version = ready.find((v) => v.id === versionId);
  const asset = assets.data?.find((a) => a.id === version?.assetId);

  const upload = async (file: File | null) => {
    if (!file || !versionId) return;
    const bytes = new Uint8Array(await file.arrayBuffer());
    let bin = "";
    for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    fromFile.mutate({ id: versionId, fileName: file.name, contentBase64: btoa(bin) });
  };

  const download = async () => {
    const { filename, csv } =
      source === "file" && fileResult ? fileResult : await utils.energyModels.forecastCsv.fetch({ id: versionId });
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = filename;
    a.click();
    URL.revokeObjectURL(url);
  };

  return (
    <Stack maw={1300}>
      <Title order={2}>{t("page.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("page.intro")}
      </Text>
      <Group align="end">
        <Select
          label={t("page.version")}
          w={420}
          data-testid="forecast-version"
          value={versionId ? String(versionId) : null}
          data={ready.map((v) => ({
            value: String(v.id),
            label: t("page.versionOption", { id: v.id, kind: t(`kinds.${v.kind}`), asset: assetName(v.assetId) }),
          }))}
          onChange={(v) => v && setParams({ version: v })}
        />
        <SegmentedControl
          data-testid="forecast-source"
          value={source}
          onChange={(v) => setSource(v as "asset" | "file")}
          data={[
            { value: "asset", label: t("page.fromAsset") },
            { value: "file", label: t("page.fromFile") },
          ]}
        />
        <Button variant="light" onClick={download} disabled={!forecast.data} data-testid="forecast-download">
          {t("page.download")}
        </Button>
      </Group>
      {source === "file" && (
        <Card withBorder>
          <Stack gap="xs">
            <Text size="sm" data-testid="forecast-file-help">
              {t("page.fileHelp", { columns: fileColumns(version, asset?.targetName) })}
              {version ? t("page.filePoints", { lookback: (version.config as { lookback: number }).lookback }) : ""}
              {t("page.fileAfter")}
            </Text>
            <FileInput
              w={420}
              label={t("page.historyFile")}
              placeholder={t("page.chooseFile")}
              accept=".csv,.xlsx,text/csv"
              data-testid="forecast-file-input"
              onChange={(f) => void upload(f)}
              clearable
            />
          </Stack>
        </Card>
      )}
      {version && <NaiveAlert metrics={version.metrics} />}
      {!versionId && <Alert color="gray">{t("page.noVersion")}</Alert>}
      {forecast.error && (
        <Alert color="red" data-testid="forecast-error">
          {errorMessage(forecast.error)}
        </Alert>
      )}
      {forecast.data && (
        <Text size="xs" c="dimmed" data-testid="forecast-band-note">
          {forecast.data.calibrated ? t("page.calibrated") : t("page.notCalibrated")}
        </Text>
      )}
      {forecast.isLoading && versionId > 0 && <Loader />}
      {forecast.data && (
        <>
          <Card withBorder>
            <ForecastChart data={forecast.data} />
          </Card>
          <Table data-testid="forecast-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("page.time")}</Table.Th>
                <Table.Th>{t("page.q10")}</Table.Th>
                <Table.Th>{t("page.median")}</Table.Th>
                <Table.Th>{t("page.q90")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {forecast.data.forecast.slice(0, 12).map((p) => (
                <Table.Tr key={p.ts}>
                  <Table.Td>{new Date(p.ts).toISOString().slice(0, 16).replace("T", " ")}</Table.Td>
                  <Table.Td>{v2(p.q10)}</Table.Td>
                  <Table.Td>{v2(p.q50)}</Table.Td>
                  <Table.Td>{v2(p.q90)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            {t("page.firstSteps", { count: forecast.data.forecast.length })}
          </Text>
        </>
      )}
    </Stack>
  );
}

/** The columns a history file needs, quoted: the target, then the model's covariates. */
function fileColumns(version: { config: unknown } | undefined, target: string | undefined): string {
  const c = (version?.config ?? {}) as { pastCovariates?: string[]; futureCovariates?: string[] };
  const names = version && target ? [target, ...(c.pastCovariates ?? []), ...(c.futureCovariates ?? [])] : [];
  return names.map((x) => `"${x}"`).join(", ");
}
