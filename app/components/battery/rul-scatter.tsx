import { ScatterChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";
import { cellColor, fmt } from "./palette";

type Scatter = RouterOutputs["battery"]["scatter"];

/** Target (RUL or PCL) against one feature, one colour per cell. */
export function RulScatter({ data }: { data: Scatter }) {
  const series = data.groups.map((g, i) => ({ name: `cell ${g.cellKey}`, color: cellColor(i), data: g.points }));
  return (
    <div data-testid="chart-scatter">
      <ScatterChart
        h={320}
        data={series}
        dataKey={{ x: "x", y: "y" }}
        labels={{ x: data.featureLabel, y: data.target.toUpperCase() }}
        valueFormatter={{ x: (v) => fmt(v), y: (v) => fmt(v) }}
        withLegend
        tooltipAnimationDuration={0}
      />
      <Text size="xs" c="dimmed">
        {data.groups.reduce((n, g) => n + g.points.length, 0)} of {data.groups.reduce((n, g) => n + g.total, 0)} points drawn (downsampled per cell).
      </Text>
    </div>
  );
}
