import { useCallback, useState } from "react";
import { Link } from "@remix-run/react";
import {
  Alert,
  Anchor,
  Card,
  Grid,
  Group,
  Loader,
  MultiSelect,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { CellPicker, type CellSelection } from "../components/battery/cell-picker";
import { TrendChart, RateTable } from "../components/battery/trend-chart";
import { RulScatter } from "../components/battery/rul-scatter";
import { HistogramChart } from "../components/battery/histogram-chart";
import { CorrelationHeatmap } from "../components/battery/correlation-heatmap";
import { StatsTable, TargetCorrelationTable } from "../components/battery/stats-table";

const MAX_DRAWN = 12;

function Section({ title, children, testId }: { title: string; children: React.ReactNode; testId?: string }) {
  return (
    <Card withBorder padding="md" data-testid={testId}>
      <Title order={4} mb="sm">
        {title}
      </Title>
      {children}
    </Card>
  );
}

export default function BatteryAnalysis() {
  const [sel, setSel] = useState<CellSelection>({ datasetId: null, cellIds: [] });
  const onChange = useCallback((v: CellSelection) => setSel(v), []);
  const [trendVar, setTrendVar] = useState("pcl");
  const [scatterFeature, setScatterFeature] = useState<string | null>(null);
  const [scatterTarget, setScatterTarget] = useState<"rul" | "pcl">("rul");
  const [histVar, setHistVar] = useState("pcl");
  const [method, setMethod] = useState<"pearson" | "spearman">("pearson");
  // The cells drawn on the trend chart (at most MAX_DRAWN of the picked ones; the first ones until the user chooses).
  const [drawnChoice, setDrawnChoice] = useState<number[] | null>(null);

  const ready = sel.datasetId !== null && sel.cellIds.length > 0;
  const input = { datasetId: sel.datasetId ?? 0, cellIds: sel.cellIds };
  const dataset = trpc.battery.getDataset.useQuery(
    { datasetId: sel.datasetId ?? 0 },
    { enabled: sel.datasetId !== null },
  );
  const features = dataset.data?.features ?? [];
  const feature = scatterFeature && features.some((f) => f.key === scatterFeature) ? scatterFeature : features[0]?.key;
  const analysis = trpc.battery.analysis.useQuery(input, { enabled: ready });
  const cellList = trpc.battery.listCells.useQuery(
    { datasetId: sel.datasetId ?? 0 },
    { enabled: sel.datasetId !== null },
  );
  const keyOf = new Map((cellList.data?.cells ?? []).map((c) => [c.id, c.cellKey]));
  const chosen = (drawnChoice ?? []).filter((id) => sel.cellIds.includes(id));
  const drawn = chosen.length ? chosen : sel.cellIds.slice(0, MAX_DRAWN);
  const trends = trpc.battery.trends.useQuery(
    { datasetId: input.datasetId, cellIds: drawn, variable: trendVar, maxLines: MAX_DRAWN },
    { enabled: ready },
  );
  // Rates are per cell over every cycle, for every picked cell (the lines are only for display).
  const rates = trpc.battery.trends.useQuery(
    { ...input, variable: "pcl", maxPoints: 20, maxLines: 1 },
    { enabled: ready },
  );
  const scatter = trpc.battery.scatter.useQuery(
    { ...input, feature: feature ?? "", target: scatterTarget },
    { enabled: ready && !!feature },
  );

  const variables = [
    { value: "pcl", label: "PCL" },
    { value: "soh", label: "SoH" },
    { value: "rul", label: "RUL" },
    ...features.map((f) => ({ value: f.key, label: f.label })),
  ];
  const histStats =
    analysis.data?.statistics.find((s) => s.key === histVar) ?? analysis.data?.statistics.find((s) => s.key === "pcl");
  const error = analysis.error ?? trends.error ?? rates.error ?? scatter.error;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Battery data analysis</Title>
        <Group>
          <Anchor component={Link} to="/battery">
            Datasets & cells
          </Anchor>
          <Anchor component={Link} to="/battery/uploads">
            Uploads
          </Anchor>
        </Group>
      </Group>
      <Card withBorder padding="md">
        <CellPicker value={sel} onChange={onChange} />
      </Card>
      {error ? (
        <Alert color="red" data-testid="analysis-error">
          {error.message}
        </Alert>
      ) : null}
      {!ready ? (
        <Text c="dimmed" data-testid="pick-hint">
          Choose cells (a preset or by id) to see statistics, correlations, trends and charts.
        </Text>
      ) : (
        <>
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Section title="Trend over cycles" testId="section-trend">
                <Group align="end" mb="sm" wrap="nowrap">
                  <Select
                    label="Variable"
                    data={variables}
                    value={trendVar}
                    onChange={(v) => v && setTrendVar(v)}
                    w={200}
                    allowDeselect={false}
                    data-testid="trend-variable"
                  />
                  <MultiSelect
                    label={`Cells drawn (up to ${MAX_DRAWN} of the ${sel.cellIds.length} picked)`}
                    data={sel.cellIds.map((id) => ({ value: String(id), label: `Cell ${keyOf.get(id) ?? id}` }))}
                    value={drawn.map(String)}
                    onChange={(v) => setDrawnChoice(v.map(Number))}
                    maxValues={MAX_DRAWN}
                    searchable
                    flex={1}
                    styles={{ pillsList: { maxHeight: 64, overflowY: "auto" } }}
                    data-testid="trend-cells"
                  />
                </Group>
                {trends.data ? <TrendChart data={trends.data} picked={sel.cellIds.length} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 5 }}>
              <Section title="Degradation rate per cell (least-squares PCL slope)">
                {rates.data ? <RateTable data={rates.data} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title="Target vs feature" testId="section-scatter">
                <Group mb="sm">
                  <Select
                    label="Feature"
                    data={features.map((f) => ({ value: f.key, label: f.label }))}
                    value={feature ?? null}
                    onChange={setScatterFeature}
                    w={240}
                    allowDeselect={false}
                  />
                  <SegmentedControl
                    value={scatterTarget}
                    onChange={(v) => setScatterTarget(v as "rul" | "pcl")}
                    data={[
                      { value: "rul", label: "RUL" },
                      { value: "pcl", label: "PCL" },
                    ]}
                  />
                </Group>
                {scatter.data ? <RulScatter data={scatter.data} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title="Distribution" testId="section-histogram">
                <Select
                  label="Variable"
                  data={variables.filter((v) => v.value !== "soh")}
                  value={histVar}
                  onChange={(v) => v && setHistVar(v)}
                  w={240}
                  mb="sm"
                  allowDeselect={false}
                />
                {histStats ? <HistogramChart stats={histStats} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
          </Grid>
          <Section title="Correlation matrix" testId="section-heatmap">
            <SegmentedControl
              mb="sm"
              value={method}
              onChange={(v) => setMethod(v as "pearson" | "spearman")}
              data={[
                { value: "pearson", label: "Pearson" },
                { value: "spearman", label: "Spearman" },
              ]}
            />
            {analysis.data ? (
              <div data-testid="chart-heatmap" style={{ overflowX: "auto" }}>
                <CorrelationHeatmap
                  labels={analysis.data.correlations.matrix.labels}
                  values={analysis.data.correlations.matrix[method]}
                  n={analysis.data.correlations.matrix.n}
                />
              </div>
            ) : (
              <Loader size="sm" />
            )}
          </Section>
          <Section title="Correlation with RUL and PCL">
            {analysis.data ? (
              <TargetCorrelationTable rows={analysis.data.correlations.withTargets} />
            ) : (
              <Loader size="sm" />
            )}
          </Section>
          <Section title="Statistics (full data)">
            {analysis.data ? (
              <>
                <Text size="sm" c="dimmed" mb="xs">
                  {analysis.data.cellCount} cells, {analysis.data.rowCount.toLocaleString("en")} cycles. Sample
                  variance; missing = cycles of the chosen cells without the value.
                </Text>
                <StatsTable stats={analysis.data.statistics} />
              </>
            ) : (
              <Loader size="sm" />
            )}
          </Section>
        </>
      )}
    </Stack>
  );
}

export function meta() {
  return [{ title: "Battery analysis · VoltLab" }];
}
