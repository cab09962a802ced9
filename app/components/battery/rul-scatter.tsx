import { ScatterChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";
import { useTranslation } from "react-i18next";
import { cellColor, fmt } from "./palette";
import { useBatteryLabels } from "./labels";

type Scatter = RouterOutputs["battery"]["scatter"];

/**
 * The axis range that fits the data: the 0.5–99.5 % quantiles with a 5 % margin, so one
 * cell's outliers do not squash every other point (how many fall outside is said below).
 */
export function fitDomain(values: number[]): [number, number] {
  if (!values.length) return [0, 1];
  const s = [...values].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.round(p * (s.length - 1))))];
  const lo = q(0.005);
  const hi = q(0.995);
  const pad = (hi - lo) * 0.05 || Math.abs(hi) * 0.05 || 1;
  return [Number((lo - pad).toPrecision(3)), Number((hi + pad).toPrecision(3))];
}

/** Target (RUL or PCL) against one feature, one colour per cell, axes titled and fitted to the data. */
export function RulScatter({ data }: { data: Scatter }) {
  const { t } = useTranslation("battery");
  const labels = useBatteryLabels();
  const series = data.groups.map((g, i) => ({
    name: t("cellSeries", { key: g.cellKey }),
    color: cellColor(i),
    data: g.points,
  }));
  const points = data.groups.flatMap((g) => g.points);
  const xDomain = fitDomain(points.map((p) => p.x));
  const yDomain = fitDomain(points.map((p) => p.y));
  const outside = points.filter(
    (p) => p.x < xDomain[0] || p.x > xDomain[1] || p.y < yDomain[0] || p.y > yDomain[1],
  ).length;
  const target = labels.withUnit(data.target, data.target, data.target === "rul" ? "cycles" : "fraction");
  const featureLabel = labels.variable(data.feature, data.featureLabel);
  return (
    <div data-testid="chart-scatter" data-x-domain={xDomain.join(",")}>
      <ScatterChart
        h={320}
        data={series}
        dataKey={{ x: "x", y: "y" }}
        labels={{ x: featureLabel, y: target }}
        xAxisLabel={featureLabel}
        yAxisLabel={target}
        xAxisProps={{ type: "number", domain: xDomain, allowDataOverflow: true, tickFormatter: (v: number) => fmt(v) }}
        yAxisProps={{ type: "number", domain: yDomain, allowDataOverflow: true, tickFormatter: (v: number) => fmt(v) }}
        valueFormatter={{ x: (v) => fmt(v), y: (v) => fmt(v) }}
        withLegend
        tooltipAnimationDuration={0}
      />
      <Text size="xs" c="dimmed">
        {t("chart.pointsDrawn", { drawn: points.length, total: data.groups.reduce((n, g) => n + g.total, 0) })}
        {outside ? t("chart.outside", { count: outside }) : ""}.
      </Text>
    </div>
  );
}
