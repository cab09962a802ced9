import { useMemo } from "react";
import { LineChart } from "@mantine/charts";
import { Table, Text } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";
import { cellColor, fmt } from "./palette";

type Trends = RouterOutputs["battery"]["trends"];

/** Per-cell lines of one variable over cycles (LTTB-downsampled by the server). */
export function TrendChart({ data, picked }: { data: Trends; picked: number }) {
  const { rows, series, empty } = useMemo(() => {
    const byCycle = new Map<number, Record<string, number>>();
    // Only cells with points get a line and a legend entry.
    const lines = data.lines.filter((l) => l.points.length > 0);
    for (const line of lines) {
      for (const p of line.points) {
        const row = byCycle.get(p.cycle) ?? { cycle: p.cycle };
        row[`cell ${line.cellKey}`] = p.value;
        byCycle.set(p.cycle, row);
      }
    }
    return {
      rows: [...byCycle.values()].sort((a, b) => a.cycle - b.cycle),
      series: lines.map((l, i) => ({ name: `cell ${l.cellKey}`, color: cellColor(i) })),
      empty: data.lines.filter((l) => l.points.length === 0).map((l) => l.cellKey),
    };
  }, [data]);
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
        xAxisLabel="cycle"
        yAxisLabel={`${data.label}${data.unit ? ` (${data.unit})` : ""}`}
        valueFormatter={(v) => fmt(v)}
        withLegend
        tooltipAnimationDuration={0}
        lineChartProps={{ syncId: undefined }}
      />
      <Text size="xs" c="dimmed">
        Showing {series.length} of the {picked} picked cells
        {empty.length ? ` (no ${data.label} for cell ${empty.join(", ")})` : ""}, each downsampled to at most{" "}
        {Math.max(0, ...data.lines.map((l) => l.points.length))} points for display (LTTB); rates use every cycle.
      </Text>
    </div>
  );
}

export function RateTable({ data }: { data: Trends }) {
  return (
    <Table.ScrollContainer minWidth={400} mah={300}>
      <Table striped data-testid="rate-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Cell</Table.Th>
            <Table.Th>Cycles</Table.Th>
            <Table.Th>PCL slope (%/100 cycles)</Table.Th>
            <Table.Th>R²</Table.Th>
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
