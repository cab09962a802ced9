import { BarChart } from "@mantine/charts";
import type { VariableStatsView } from "./stats-table";
import { useTranslation } from "react-i18next";
import { fmt } from "./palette";
import { useBatteryLabels } from "./labels";

/** Distribution of one variable as a bar chart of its histogram bins (computed on the full data). */
export function HistogramChart({ stats }: { stats: VariableStatsView }) {
  const { t } = useTranslation("battery");
  const labels = useBatteryLabels();
  const data = stats.histogram.map((b) => ({ bin: fmt((b.from + b.to) / 2, 3), count: b.count }));
  return (
    <div data-testid="chart-histogram">
      <BarChart
        h={280}
        data={data}
        dataKey="bin"
        series={[{ name: "count", color: "teal.6", label: t("chart.count") }]}
        xAxisLabel={labels.withUnit(stats.key, stats.label, stats.unit)}
        yAxisLabel={t("chart.count")}
        barChartProps={{ barCategoryGap: 1 }}
        tooltipAnimationDuration={0}
      />
    </div>
  );
}
