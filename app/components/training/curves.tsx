import { useMemo } from "react";
import { LineChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { JobStreamEvent } from "../../../server/services/jobs";
import type { Algorithm } from "../../../server/schemas/training";
import { lossPanels } from "./loss-panels";

export interface EpochPoint {
  epoch: number;
  trainLoss: number;
  valLoss: number;
  val: Partial<Record<"pcl" | "rul", { rmspe: number; rmse: number; mse: number; r2: number }>>;
}

const ALGO_COLORS: Record<Algorithm, [string, string]> = {
  baseline: ["blue.3", "blue.7"],
  bilstm: ["grape.3", "grape.7"],
  deephpm: ["teal.3", "teal.7"],
};

const fmt = (v: number) => (Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? v.toPrecision(3) : v.toExponential(2));

/** Epoch points of the latest seed among a job's `metric` events (kind "epoch"). */
export function epochPoints(
  metrics: JobStreamEvent[],
  jobId: number,
): { seedIndex: number; repeats: number; seed: number | null; points: EpochPoint[] } {
  let seedIndex = 0;
  let repeats = 1;
  let seed: number | null = null;
  const mine = metrics.filter((e) => e.jobId === jobId && e.payload?.kind === "epoch");
  for (const e of mine) seedIndex = Math.max(seedIndex, e.payload.seedIndex);
  const points = mine
    .filter((e) => e.payload.seedIndex === seedIndex)
    .map((e) => {
      repeats = e.payload.repeats;
      seed = e.payload.seed;
      return { epoch: e.payload.epoch, trainLoss: e.payload.trainLoss, valLoss: e.payload.valLoss, val: e.payload.val };
    });
  return { seedIndex, repeats, seed, points };
}

/** Live curves of one run: train and validation loss (left axis, normalised units) and validation RMSPE in % (right axis). */
export function RunCurves({
  points,
  target,
  algorithm,
  caption,
}: {
  points: EpochPoint[];
  target: "pcl" | "rul";
  algorithm: Algorithm;
  caption?: string;
}) {
  const { t } = useTranslation("training");
  // Series keep machine names (the browser tests find the lines by them); the legend shows the words.
  const rows = useMemo(
    () =>
      points.map((p) => ({
        epoch: p.epoch,
        "train loss": p.trainLoss,
        "val loss": p.valLoss,
        "val RMSPE %": 100 * (p.val[target]?.rmspe ?? NaN),
      })),
    [points, target],
  );
  const [light, dark] = ALGO_COLORS[algorithm];
  // DeepHPM's adaptive objective can be negative: a log axis only when every loss is positive.
  const log = points.every((p) => p.trainLoss > 0 && p.valLoss > 0);
  return (
    <div data-testid={`curves-${algorithm}`} data-points={rows.length}>
      <LineChart
        h={220}
        data={rows}
        dataKey="epoch"
        series={[
          { name: "train loss", label: t("curves.trainLoss"), color: light },
          { name: "val loss", label: t("curves.valLoss"), color: dark },
          { name: "val RMSPE %", label: t("curves.valRmspe"), color: "orange.6", yAxisId: "right" },
        ]}
        withRightYAxis
        curveType="linear"
        withDots={rows.length < 30}
        xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"] }}
        yAxisProps={log ? { scale: "log", domain: ["auto", "auto"], allowDataOverflow: true } : undefined}
        valueFormatter={fmt}
        withLegend
        tooltipAnimationDuration={0}
        lineChartProps={{ syncId: undefined }}
        xAxisLabel={t("curves.epoch")}
      />
      <Text size="xs" c="dimmed">
        {caption ? `${caption} ` : ""}
        {t("curves.help", { scale: log ? t("curves.log") : t("curves.linear") })}
      </Text>
      {!log && algorithm === "deephpm" && (
        <Text size="xs" c="dimmed" data-testid="adaptive-loss-note">
          {t("curves.adaptiveNote")}
        </Text>
      )}
    </div>
  );
}

/**
 * Train and validation loss of several algorithms over epochs, overlaid (kept seed of each).
 * Lines that stay positive share a log panel; a line that goes to zero or below (DeepHPM's
 * adaptive objective) gets its own linear panel, so it never flattens the others.
 */
export function OverlaidCurves({ histories }: { histories: { algorithm: Algorithm; history: EpochPoint[] }[] }) {
  const { t } = useTranslation("training");
  const { rows, lines } = useMemo(() => {
    const byEpoch = new Map<number, Record<string, number>>();
    const lines: { name: string; label: string; color: string; strokeDasharray?: string; values: number[] }[] = [];
    for (const h of histories) {
      const algorithm = t(`algorithms.${h.algorithm}`);
      lines.push({
        name: `${h.algorithm} train`,
        label: t("curves.seriesTrain", { algorithm }),
        color: ALGO_COLORS[h.algorithm][0],
        strokeDasharray: "4 3",
        values: h.history.map((p) => p.trainLoss),
      });
      lines.push({
        name: `${h.algorithm} val`,
        label: t("curves.seriesVal", { algorithm }),
        color: ALGO_COLORS[h.algorithm][1],
        values: h.history.map((p) => p.valLoss),
      });
      for (const p of h.history) {
        const row = byEpoch.get(p.epoch) ?? { epoch: p.epoch };
        row[`${h.algorithm} train`] = p.trainLoss;
        row[`${h.algorithm} val`] = p.valLoss;
        byEpoch.set(p.epoch, row);
      }
    }
    return { rows: [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch), lines };
  }, [histories, t]);
  const panels = lossPanels(lines);
  const adaptive = histories.some((h) => h.algorithm === "deephpm" && h.history.some((p) => p.trainLoss <= 0));
  return (
    <div data-testid="overlaid-curves">
      {panels.map((panel) => (
        <div key={panel.scale} data-testid={`loss-panel-${panel.scale}`} data-series={panel.names.join("|")}>
          {panels.length > 1 && (
            <Text size="sm" fw={500}>
              {panel.scale === "log" ? t("curves.panelLog") : t("curves.panelLinear")}
            </Text>
          )}
          <LineChart
            h={panel.scale === "log" ? 300 : 200}
            data={rows}
            dataKey="epoch"
            series={lines
              .filter((l) => panel.names.includes(l.name))
              .map(({ name, label, color, strokeDasharray }) => ({ name, label, color, strokeDasharray }))}
            curveType="linear"
            withDots={false}
            connectNulls
            xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"] }}
            yAxisProps={
              panel.scale === "log" ? { scale: "log", domain: ["auto", "auto"], allowDataOverflow: true } : undefined
            }
            valueFormatter={fmt}
            withLegend
            tooltipAnimationDuration={0}
            xAxisLabel={t("curves.epoch")}
            yAxisLabel={t("curves.lossAxis")}
          />
        </div>
      ))}
      {adaptive && (
        <Text size="xs" c="dimmed" data-testid="adaptive-loss-note">
          {t("curves.adaptiveNote")}
        </Text>
      )}
    </div>
  );
}
