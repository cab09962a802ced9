import { BarChart } from "@mantine/charts";
import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TestTarget } from "../../../server/schemas/testing";

export interface ResidualBox {
  cellKey: string;
  n: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

const short = (v: number) => (Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toPrecision(2));

/** Histogram of every residual of one target. */
export function ResidualHistogram({
  target,
  histogram,
}: {
  target: TestTarget;
  histogram: { x0: number; x1: number; count: number }[];
}) {
  const { t } = useTranslation("testing");
  const data = histogram.map((b) => ({ bin: short((b.x0 + b.x1) / 2), count: b.count }));
  return (
    <div data-testid={`chart-histogram-${target}`}>
      <BarChart
        h={240}
        data={data}
        dataKey="bin"
        series={[{ name: "count", color: "teal.6", label: t("charts.samples") }]}
        xAxisLabel={t("charts.residualSeries")}
        yAxisLabel={t("charts.samples")}
        barChartProps={{ barCategoryGap: 1 }}
        tooltipAnimationDuration={0}
      />
    </div>
  );
}

/** Per-cell error (the chosen metric) as bars, worst first. */
export function CellErrorBars({
  target,
  data,
  metric,
}: {
  target: TestTarget;
  data: { cellKey: string; value: number }[];
  metric: string;
}) {
  const { t } = useTranslation("testing");
  const sorted = [...data].sort((a, b) => b.value - a.value);
  return (
    <div data-testid={`chart-cell-errors-${target}`}>
      <BarChart
        h={260}
        data={sorted}
        dataKey="cellKey"
        series={[{ name: "value", color: "orange.6", label: metric }]}
        xAxisLabel={t("charts.cell")}
        yAxisLabel={metric}
        tooltipAnimationDuration={0}
      />
    </div>
  );
}

/** Box plot of each cell's residuals (whiskers min–max, box q1–q3, median line), drawn in SVG. */
export function ResidualBoxPlot({ target, boxes }: { target: TestTarget; boxes: ResidualBox[] }) {
  const { t } = useTranslation(["testing", "training"]);
  const targetName = t(`training:targets.${target}`);
  // As wide as the boxes need (not a fixed 600 px for three cells); labels upright while they fit.
  const W = Math.max(240, boxes.length * 28 + 70);
  const upright = boxes.length <= 24;
  const H = 220;
  const pad = { l: 56, r: 8, t: 10, b: 40 };
  const lo = Math.min(0, ...boxes.map((b) => b.min));
  const hi = Math.max(0, ...boxes.map((b) => b.max));
  const y = (v: number) => pad.t + (H - pad.t - pad.b) * (1 - (v - lo) / (hi - lo || 1));
  const step = (W - pad.l - pad.r) / Math.max(1, boxes.length);
  const ticks = [lo, lo + (hi - lo) / 4, lo + (hi - lo) / 2, lo + (3 * (hi - lo)) / 4, hi];
  return (
    <Stack gap={4}>
      <Text size="sm" fw={600}>
        {t("charts.boxTitle", { target: targetName })}
      </Text>
      <div style={{ overflowX: "auto" }} data-testid={`chart-boxplot-${target}`}>
        <svg width={W} height={H} role="img" aria-label={t("charts.boxLabel", { target: targetName })}>
          {ticks.map((t) => (
            <g key={t}>
              <line x1={pad.l} x2={W - pad.r} y1={y(t)} y2={y(t)} stroke="#e9ecef" />
              <text x={pad.l - 4} y={y(t) + 4} fontSize={10} textAnchor="end" fill="#666">
                {short(t)}
              </text>
            </g>
          ))}
          <line x1={pad.l} x2={W - pad.r} y1={y(0)} y2={y(0)} stroke="#adb5bd" strokeDasharray="4 3" />
          {boxes.map((b, i) => {
            const cx = pad.l + step * (i + 0.5);
            const bw = Math.min(14, step * 0.7);
            return (
              <g key={b.cellKey} data-testid="box">
                <title>
                  {t("charts.boxTooltip", {
                    cell: b.cellKey,
                    min: short(b.min),
                    q1: short(b.q1),
                    median: short(b.median),
                    q3: short(b.q3),
                    max: short(b.max),
                    n: b.n,
                  })}
                </title>
                <line x1={cx} x2={cx} y1={y(b.max)} y2={y(b.min)} stroke="#495057" />
                <rect
                  x={cx - bw / 2}
                  width={bw}
                  y={y(b.q3)}
                  height={Math.max(1, y(b.q1) - y(b.q3))}
                  fill="#a5d8ff"
                  stroke="#1c7ed6"
                />
                <line
                  x1={cx - bw / 2}
                  x2={cx + bw / 2}
                  y1={y(b.median)}
                  y2={y(b.median)}
                  stroke="#1864ab"
                  strokeWidth={2}
                />
                <text
                  x={cx}
                  y={H - pad.b + 14}
                  fontSize={11}
                  textAnchor={upright ? "middle" : "end"}
                  transform={upright ? undefined : `rotate(-60 ${cx} ${H - pad.b + 14})`}
                  fill="#495057"
                >
                  {b.cellKey}
                </text>
              </g>
            );
          })}
        </svg>
      </div>
    </Stack>
  );
}
