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
import { ENERGY_MODEL_LABELS } from "../../server/services/energy/models-schema";

export default function EnergyForecast() {
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
  const assetName = (id: number) => assets.data?.find((a) => a.id === id)?.name ?? `asset ${id}`;
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
      <Title order={2}>Energy forecast</Title>
      <Text size="sm" c="dimmed">
        Forecast of the next horizon from the asset's latest data with a trained version (ONNX inference). Future
        covariates other than the calendar are unknown and enter as their training mean.
      </Text>
      <Group align="end">
        <Select
          label="Model version"
          w={420}
          data-testid="forecast-version"
          value={versionId ? String(versionId) : null}
          data={ready.map((v) => ({
            value: String(v.id),
            label: `#${v.id} ${ENERGY_MODEL_LABELS[v.kind]} · ${assetName(v.assetId)}`,
          }))}
          onChange={(v) => v && setParams({ version: v })}
        />
        <SegmentedControl
          data-testid="forecast-source"
          value={source}
          onChange={(v) => setSource(v as "asset" | "file")}
          data={[
            { value: "asset", label: "Asset's latest data" },
            { value: "file", label: "Uploaded file" },
          ]}
        />
        <Button variant="light" onClick={download} disabled={!forecast.data} data-testid="forecast-download">
          Download CSV
        </Button>
      </Group>
      {source === "file" && (
        <Card withBorder>
          <Stack gap="xs">
            <Text size="sm">
              Upload a CSV or XLSX of recent history with a timestamp column and the column
              {version && asset ? ` "${asset.targetName}"` : ""}
              {version &&
              (version.config as { pastCovariates?: string[]; futureCovariates?: string[] }).pastCovariates?.length
                ? ` plus ${[...(version.config as { pastCovariates: string[] }).pastCovariates, ...((version.config as { futureCovariates: string[] }).futureCovariates ?? [])].map((c) => `"${c}"`).join(", ")}`
                : ""}
              {version
                ? `, at least ${(version.config as { lookback: number }).lookback} points at the model's step`
                : ""}
              . The forecast starts after the file's last point; nothing is stored.
            </Text>
            <FileInput
              w={420}
              label="History file"
              placeholder="Choose a file"
              accept=".csv,.xlsx,text/csv"
              data-testid="forecast-file-input"
              onChange={(f) => void upload(f)}
              clearable
            />
          </Stack>
        </Card>
      )}
      {version && <NaiveAlert metrics={version.metrics} />}
      {!versionId && <Alert color="gray">No trained version yet: train one on the Models page.</Alert>}
      {forecast.error && (
        <Alert color="red" data-testid="forecast-error">
          {forecast.error.message}
        </Alert>
      )}
      {forecast.data && (
        <Text size="xs" c="dimmed" data-testid="forecast-band-note">
          {forecast.data.calibrated
            ? "The 10–90 % band is calibrated (split-conformal on the validation part): about 8 in 10 actuals should fall inside it."
            : "This version's band is not calibrated (trained before calibration existed)."}
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
                <Table.Th>Time (UTC)</Table.Th>
                <Table.Th>q10</Table.Th>
                <Table.Th>median</Table.Th>
                <Table.Th>q90</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {forecast.data.forecast.slice(0, 12).map((p) => (
                <Table.Tr key={p.ts}>
                  <Table.Td>{new Date(p.ts).toISOString().slice(0, 16).replace("T", " ")}</Table.Td>
                  <Table.Td>{p.q10.toFixed(2)}</Table.Td>
                  <Table.Td>{p.q50.toFixed(2)}</Table.Td>
                  <Table.Td>{p.q90.toFixed(2)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">
            First 12 of {forecast.data.forecast.length} steps; the CSV has all of them.
          </Text>
        </>
      )}
    </Stack>
  );
}
