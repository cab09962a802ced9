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
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { trpc } from "../lib/trpc";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { errorMessage } from "../lib/form-errors";
import { useBatteryLabels } from "../components/battery/labels";
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
  const { t } = useTranslation(["battery", "common"]);
  const { n } = useFormat();
  const labels = useBatteryLabels();
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
    ...["pcl", "soh", "rul"].map((k) => ({ value: k, label: labels.variable(k) })),
    ...features.map((f) => ({ value: f.key, label: labels.variable(f.key, f.label) })),
  ];
  const histStats =
    analysis.data?.statistics.find((s) => s.key === histVar) ?? analysis.data?.statistics.find((s) => s.key === "pcl");
  const error = analysis.error ?? trends.error ?? rates.error ?? scatter.error;

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("analysis.title")}</Title>
        <Group>
          <Anchor component={Link} to="/battery">
            {t("analysis.datasets")}
          </Anchor>
          <Anchor component={Link} to="/battery/uploads">
            {t("common:nav.batteryUploads")}
          </Anchor>
        </Group>
      </Group>
      <Card withBorder padding="md">
        <CellPicker value={sel} onChange={onChange} />
      </Card>
      {error ? (
        <Alert color="red" data-testid="analysis-error">
          {errorMessage(error)}
        </Alert>
      ) : null}
      {!ready ? (
        <Text c="dimmed" data-testid="pick-hint">
          {t("analysis.pickHint")}
        </Text>
      ) : (
        <>
          <Grid>
            <Grid.Col span={{ base: 12, lg: 7 }}>
              <Section title={t("analysis.trend")} testId="section-trend">
                <Group align="end" mb="sm" wrap="nowrap">
                  <Select
                    label={t("analysis.variable")}
                    data={variables}
                    value={trendVar}
                    onChange={(v) => v && setTrendVar(v)}
                    w={200}
                    allowDeselect={false}
                    data-testid="trend-variable"
                  />
                  <MultiSelect
                    label={t("analysis.cellsDrawn", { max: MAX_DRAWN, picked: sel.cellIds.length })}
                    data={sel.cellIds.map((id) => ({
                      value: String(id),
                      label: t("cell", { key: keyOf.get(id) ?? id }),
                    }))}
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
              <Section title={t("analysis.rates")}>
                {rates.data ? <RateTable data={rates.data} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t("analysis.scatter")} testId="section-scatter">
                <Group mb="sm">
                  <Select
                    label={t("analysis.feature")}
                    data={features.map((f) => ({ value: f.key, label: labels.variable(f.key, f.label) }))}
                    value={feature ?? null}
                    onChange={setScatterFeature}
                    w={240}
                    allowDeselect={false}
                  />
                  <SegmentedControl
                    value={scatterTarget}
                    onChange={(v) => setScatterTarget(v as "rul" | "pcl")}
                    data={[
                      { value: "rul", label: labels.variable("rul") },
                      { value: "pcl", label: labels.variable("pcl") },
                    ]}
                  />
                </Group>
                {scatter.data ? <RulScatter data={scatter.data} /> : <Loader size="sm" />}
              </Section>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Section title={t("analysis.distribution")} testId="section-histogram">
                <Select
                  label={t("analysis.variable")}
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
          <Section title={t("analysis.correlation")} testId="section-heatmap">
            <SegmentedControl
              mb="sm"
              value={method}
              onChange={(v) => setMethod(v as "pearson" | "spearman")}
              data={[
                { value: "pearson", label: t("analysis.pearson") },
                { value: "spearman", label: t("analysis.spearman") },
              ]}
            />
            {analysis.data ? (
              <div data-testid="chart-heatmap" style={{ overflowX: "auto" }}>
                <CorrelationHeatmap
                  labels={analysis.data.correlations.matrix.variables.map((k, i) =>
                    labels.variable(k, analysis.data.correlations.matrix.labels[i]),
                  )}
                  values={analysis.data.correlations.matrix[method]}
                  n={analysis.data.correlations.matrix.n}
                />
              </div>
            ) : (
              <Loader size="sm" />
            )}
          </Section>
          <Section title={t("analysis.withTargets")}>
            {analysis.data ? (
              <TargetCorrelationTable rows={analysis.data.correlations.withTargets} />
            ) : (
              <Loader size="sm" />
            )}
          </Section>
          <Section title={t("analysis.statistics")}>
            {analysis.data ? (
              <>
                <Text size="sm" c="dimmed" mb="xs">
                  {t("analysis.statsNote", { cells: n(analysis.data.cellCount), cycles: n(analysis.data.rowCount) })}
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

export const meta = (args: MetaArgs) => pageTitle(args, "battery:analysis.title");
