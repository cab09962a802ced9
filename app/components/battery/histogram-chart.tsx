import { BarChart } from "@mantine/charts";
import type { VariableStatsView } from "./stats-table";
import { fmt } from "./palette";

/** Distribution of one variable as a bar chart of its histogram bins (computed on the full data). */
export function HistogramChart({ stats }: { stats: VariableStatsView }) {
  const data = stats.histogram.map((b) => ({ bin: fmt((b.from + b.to) / 2, 3), count: b.count }));
  return (
    <div data-testid="chart-histogram">
      <BarChart
        h={280}
        data={data}
        dataKey="bin"
        series={[{ name: "count", color: "teal.6", label: "cycles" }]}
        xAxisLabel={`${stats.label}${stats.unit ? ` (${stats.unit})` : ""}`}
        yAxisLabel="cycles"
        barChartProps={{ barCategoryGap: 1 }}
        tooltipAnimationDuration={0}
      />
    </div>
  );
}
