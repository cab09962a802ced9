import { useMemo } from "react";
import { LineChart } from "@mantine/charts";
import { ColorSwatch, Group, Paper, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../../lib/trpc";
import { cellColor, fmt } from "./palette";
import { useBatteryLabels } from "./labels";

type Trends = RouterOutputs["battery"]["trends"];

type Line = Trends["lines"][number];

/**
 * One row per cycle that any drawn cell has a point at, with every cell's value there: its own
 * point, or the straight line between its two neighbouring points (the segment the chart draws);
 * nothing before its first or after its last point. So the tooltip at any cycle can list every
 * drawn cell, although the server downsamples each cell at its own cycles.
 */
export function trendRows(lines: Line[], seriesKey: (i: number) => string): Record<string, number>[] {
  const cycles = [...new Set(lines.flatMap((l) => l.points.map((p) => p.cycle)))].sort((a, b) => a - b);
  const rows = cycles.map((cycle) => ({ cycle }) as Record<string, number>);
  lines.forEach((line, li) => {
    const pts = [...line.points].sort((a, b) => a.cycle - b.cycle);
    if (!pts.length) return;
    let k = 0;
    for (const row of rows) {
      const c = row.cycle;
      if (c < pts[0].cycle || c > pts[pts.length - 1].cycle) continue;
      while (k < pts.length - 1 && pts[k + 1].cycle <= c) k++;
      const a = pts[k];
      const b = pts[Math.min(k + 1, pts.length - 1)];
      row[seriesKey(li)] =
        b.cycle === a.cycle ? a.value : a.value + ((b.value - a.value) * (c - a.cycle)) / (b.cycle - a.cycle);
    }
  });
  return rows;
}

interface TooltipEntry {
  key: string;
  name: string;
  color: string;
}

/** Every drawn cell at the hovered cycle, highest value first; a cell without a value there says so. */
function TrendTooltip({ row, entries }: { row: Record<string, number> | undefined; entries: TooltipEntry[] }) {
  const { t } = useTranslation("battery");
  if (!row) return null;
  const sorted = [...entries].sort((a, b) => (row[b.key] ?? -Infinity) - (row[a.key] ?? -Infinity));
  return (
    <Paper withBorder shadow="md" p="xs" data-testid="trend-tooltip" style={{ pointerEvents: "none" }}>
      <Text size="sm" fw={600} mb={4}>
        {t("chart.cycleAt", { cycle: row.cycle })}
      </Text>
      {sorted.map((e) => (
        <Group key={e.key} gap={6} wrap="nowrap" justify="space-between" data-testid="trend-tooltip-row">
          <Group gap={6} wrap="nowrap">
            <ColorSwatch color={`var(--mantine-color-${e.color.replace(".", "-")})`} size={10} />
            <Text size="xs">{e.name}</Text>
          </Group>
          <Text size="xs" fw={500} c={row[e.key] === undefined ? "dimmed" : undefined}>
            {row[e.key] === undefined ? t("chart.noValue") : fmt(row[e.key])}
          </Text>
        </Group>
      ))}
    </Paper>
  );
}

/** Per-cell lines of one variable over cycles (LTTB-downsampled by the server). */
export function TrendChart({ data, picked }: { data: Trends; picked: number }) {
  const { t } = useTranslation("battery");
  const labels = useBatteryLabels();
  const label = labels.variable(data.variable, data.label);
  const { rows, series, empty } = useMemo(() => {
    // Only cells with points get a line and a legend entry.
    const lines = data.lines.filter((l) => l.points.length > 0);
    const key = (i: number) => `c${i}`;
    return {
      rows: trendRows(lines, key),
      series: lines.map((l, i) => ({ name: key(i), label: t("cellSeries", { key: l.cellKey }), color: cellColor(i) })),
      empty: data.lines.filter((l) => l.points.length === 0).map((l) => l.cellKey),
    };
  }, [data, t]);
  const byCycle = useMemo(() => new Map(rows.map((r) => [r.cycle, r])), [rows]);
  const entries = series.map((s) => ({ key: s.name, name: s.label, color: s.color }));
  return (
    <div data-testid="chart-line">
      <LineChart
        h={320}
        data={rows}
        dataKey="cycle"
        series={series}
        curveType="linear"
        withDots={false}
        connectNulls
        strokeWidth={1.5}
        xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"] }}
        xAxisLabel={t("chart.cycle")}
        yAxisLabel={labels.withUnit(data.variable, data.label, data.unit)}
        valueFormatter={(v) => fmt(v)}
        withLegend
        tooltipAnimationDuration={0}
        tooltipProps={{
          content: ({ label: cycle }) => <TrendTooltip row={byCycle.get(Number(cycle))} entries={entries} />,
        }}
        lineChartProps={{ syncId: undefined }}
      />
      <Text size="xs" c="dimmed">
        {t("chart.showing", { shown: series.length, picked })}
        {empty.length ? t("chart.noData", { label, cells: empty.join(", ") }) : ""}
        {t("chart.downsampled", { points: Math.max(0, ...data.lines.map((l) => l.points.length)) })}
      </Text>
    </div>
  );
}

export function RateTable({ data }: { data: Trends }) {
  const { t } = useTranslation("battery");
  return (
    <Table.ScrollContainer minWidth={400} mah={300}>
      <Table striped data-testid="rate-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("rates.cell")}</Table.Th>
            <Table.Th>{t("rates.cycles")}</Table.Th>
            <Table.Th>{t("rates.slope")}</Table.Th>
            <Table.Th>{t("rates.r2")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {data.rates.map((r) => (
            <Table.Tr key={r.cellId}>
              <Table.Td>{r.cellKey}</Table.Td>
              <Table.Td>{r.cycles}</Table.Td>
              <Table.Td>{fmt(r.ratePctPer100, 3)}</Table.Td>
              <Table.Td>{fmt(r.r2, 3)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
