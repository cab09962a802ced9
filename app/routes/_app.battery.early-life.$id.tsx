import { useState } from "react";
import { Link, useParams } from "@remix-run/react";
import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { LifeScatter } from "../components/early-life/life-scatter";
import { EARLY_FEATURE_SET_LABELS, EARLY_MODEL_LABELS } from "../../server/schemas/early-life";

function download(file: { fileName: string; mime: string; contentBase64: string }) {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function EarlyLifeResult() {
  const id = Number(useParams().id);
  const task = trpc.earlyLife.get.useQuery(
    { id },
    { refetchInterval: (q) => (q.state.data && ["PENDING", "RUNNING"].includes(q.state.data.status) ? 1000 : false) },
  );
  const utils = trpc.useUtils();
  const [busy, setBusy] = useState<string | null>(null);
  if (task.isLoading) return <Loader />;
  if (!task.data) return <Alert color="red">{task.error?.message ?? "Task not found"}</Alert>;
  const t = task.data;
  const r = t.result;
  const exportAs = async (format: "csv" | "xlsx") => {
    setBusy(format);
    try {
      download(await utils.earlyLife.export.fetch({ id, format }));
    } finally {
      setBusy(null);
    }
  };

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t.name}</Title>
          <Text size="sm" c="dimmed">
            {t.config.datasetName} · {EARLY_FEATURE_SET_LABELS[t.config.featureSet]} ·{" "}
            {EARLY_MODEL_LABELS[t.config.model]} · first {t.config.firstCycles} cycles · {t.config.trainCells.length}{" "}
            training cells
          </Text>
        </div>
        <Group>
          <Badge size="lg" variant="light" data-testid="early-life-status">
            {t.status}
          </Badge>
          <Anchor component={Link} to="/battery/early-life">
            All early-life tasks
          </Anchor>
        </Group>
      </Group>
      {t.error ? <Alert color="red">{t.error}</Alert> : null}
      {!r ? (
        <Group>
          <Loader size="sm" />
          <Text>Fitting on the training cells and predicting…</Text>
        </Group>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, md: r.groups.length + 1 }} data-testid="early-life-metrics">
            {r.groups.map((g) => (
              <Card withBorder key={g.name} data-testid={`metric-${g.name}`}>
                <Text size="sm" c="dimmed">
                  {g.name} ({g.cells.length} cells)
                </Text>
                <Text size="xl" fw={700}>
                  RMSE {g.rmse.toFixed(0)} cycles
                </Text>
                <Text>MAPE {(100 * g.mape).toFixed(1)} %</Text>
              </Card>
            ))}
            <Card withBorder>
              <Text size="sm" c="dimmed">
                training cells ({r.train.cells})
              </Text>
              <Text size="xl" fw={700}>
                RMSE {r.train.rmse.toFixed(0)} cycles
              </Text>
              <Text size="sm">
                {r.cv?.members
                  ? `Cross-validation chose ${r.cv.members.map((m) => `${m.featureSet}: α ${m.l1Ratio}, λ ${m.lambda.toExponential(2)}`).join("; ")} (ensemble held-out RMSE ${r.cv.cvRmse.toFixed(0)})`
                  : r.cv && r.cv.lambda !== null
                    ? `Cross-validation chose α ${r.cv.l1Ratio}, λ ${r.cv.lambda.toExponential(2)} (held-out RMSE ${r.cv.cvRmse.toFixed(0)})`
                    : t.config.model === "mlp"
                      ? "MLP ensemble; epochs chosen on held-out training cells"
                      : "No regularisation"}
              </Text>
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Group justify="space-between" mb="xs">
              <Title order={4}>Predicted vs true cycle life</Title>
              <Group>
                <Button
                  variant="light"
                  loading={busy === "csv"}
                  onClick={() => exportAs("csv")}
                  data-testid="export-csv"
                >
                  Export CSV
                </Button>
                <Button
                  variant="light"
                  loading={busy === "xlsx"}
                  onClick={() => exportAs("xlsx")}
                  data-testid="export-xlsx"
                >
                  Export XLSX
                </Button>
              </Group>
            </Group>
            <Text size="xs" c="dimmed">
              Points on the dashed diagonal are perfect predictions; above it the model over-estimates the life. Labels
              are cell ids.
            </Text>
            <LifeScatter groups={r.groups} />
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={5} mb="xs">
                Per cell
              </Title>
              <Table.ScrollContainer minWidth={400} mah={420}>
                <Table striped stickyHeader data-testid="early-life-cells">
                  <Table.Thead>
                    <Table.Tr>
                      {["Group", "Cell", "True", "Predicted", "Error"].map((h) => (
                        <Table.Th key={h}>{h}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.groups.flatMap((g) =>
                      g.cells.map((c) => (
                        <Table.Tr key={`${g.name}-${c.key}`}>
                          <Table.Td>{g.name}</Table.Td>
                          <Table.Td>{c.key}</Table.Td>
                          <Table.Td>{c.trueLife}</Table.Td>
                          <Table.Td>{c.predictedLife.toFixed(0)}</Table.Td>
                          <Table.Td>{(c.predictedLife - c.trueLife).toFixed(0)}</Table.Td>
                        </Table.Tr>
                      )),
                    )}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
            <Card withBorder>
              <Title order={5} mb="xs">
                {r.intercept === null
                  ? "Model inputs (MLP of log10 cycle life)"
                  : "Model: log10 cycle life = intercept + Σ coefficient × feature"}
              </Title>
              <Table data-testid="early-life-model">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Td>intercept</Table.Td>
                    <Table.Td>{r.intercept === null ? "–" : r.intercept.toPrecision(4)}</Table.Td>
                  </Table.Tr>
                  {r.features.map((f) => (
                    <Table.Tr key={f.key}>
                      <Table.Td>{f.label}</Table.Td>
                      <Table.Td>
                        {f.coef === null
                          ? "input of the MLP"
                          : f.coef === 0
                            ? "0 (dropped by the penalty)"
                            : f.coef.toPrecision(4)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

export function meta() {
  return [{ title: "Early-life result · Battery Lab · VoltLab" }];
}
