import { useSearchParams } from "@remix-run/react";
import { Alert, Button, Card, Group, Loader, Select, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { ForecastChart } from "../components/energy-models/forecast-chart";
import { ENERGY_MODEL_LABELS } from "../../server/services/energy/models-schema";

export default function EnergyForecast() {
  const [params, setParams] = useSearchParams();
  const versions = trpc.energyModels.list.useQuery({});
  const assets = trpc.energy.assets.list.useQuery();
  const ready = (versions.data ?? []).filter((v) => v.status === "ready");
  const versionId = Number(params.get("version")) || ready[0]?.id || 0;
  const forecast = trpc.energyModels.forecast.useQuery({ id: versionId }, { enabled: versionId > 0, retry: false });
  const utils = trpc.useUtils();
  const assetName = (id: number) => assets.data?.find((a) => a.id === id)?.name ?? `asset ${id}`;

  const download = async () => {
    const { filename, csv } = await utils.energyModels.forecastCsv.fetch({ id: versionId });
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
      <Text size="sm" c="dimmed">Forecast of the next horizon from the asset's latest data with a trained version (ONNX inference). Future covariates other than the calendar are unknown and enter as their training mean.</Text>
      <Group align="end">
        <Select label="Model version" w={420} data-testid="forecast-version" value={versionId ? String(versionId) : null}
          data={ready.map((v) => ({ value: String(v.id), label: `#${v.id} ${ENERGY_MODEL_LABELS[v.kind]} · ${assetName(v.assetId)}` }))}
          onChange={(v) => v && setParams({ version: v })} />
        <Button variant="light" onClick={download} disabled={!forecast.data} data-testid="forecast-download">Download CSV</Button>
      </Group>
      {!versionId && <Alert color="gray">No trained version yet: train one on the Models page.</Alert>}
      {forecast.error && <Alert color="red">{forecast.error.message}</Alert>}
      {forecast.isLoading && versionId > 0 && <Loader />}
      {forecast.data && (
        <>
          <Card withBorder>
            <ForecastChart data={forecast.data} />
          </Card>
          <Table data-testid="forecast-table">
            <Table.Thead><Table.Tr><Table.Th>Time (UTC)</Table.Th><Table.Th>q10</Table.Th><Table.Th>median</Table.Th><Table.Th>q90</Table.Th></Table.Tr></Table.Thead>
            <Table.Tbody>
              {forecast.data.forecast.slice(0, 12).map((p) => (
                <Table.Tr key={p.ts}><Table.Td>{new Date(p.ts).toISOString().slice(0, 16).replace("T", " ")}</Table.Td><Table.Td>{p.q10.toFixed(2)}</Table.Td><Table.Td>{p.q50.toFixed(2)}</Table.Td><Table.Td>{p.q90.toFixed(2)}</Table.Td></Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          <Text size="xs" c="dimmed">First 12 of {forecast.data.forecast.length} steps; the CSV has all of them.</Text>
        </>
      )}
    </Stack>
  );
}
