import {
  CartesianGrid,
  ComposedChart,
  LabelList,
  Line,
  ReferenceArea,
  ReferenceLine,
  ResponsiveContainer,
  Scatter,
  XAxis,
  YAxis,
} from "recharts";
import { useTranslation } from "react-i18next";
import type { ScoredChartPoint } from "./anomaly-chart";
import { useFormat } from "../../lib/format";
import { fmtTick as fmt } from "./times";

export interface StreamingInfo {
  threshold: number;
  startTs: number;
  probationEndTs: number;
}

/** The probation part visible in [lo, hi], or null. */
export function probationSpan(s: StreamingInfo, lo: number, hi: number): [number, number] | null {
  const a = Math.max(lo, s.startTs),
    b = Math.min(hi, s.probationEndTs);
  return a <= b ? [a, b] : null;
}

/**
 * A streaming detector's view, readable without hovering: the series with its alerts (red dots,
 * each labelled with its score) and the probation shaded and labelled; below, the anomaly score
 * with the threshold as a labelled red line, so each alert's score stands against it.
 */
export function StreamingChart({
  points,
  streaming,
  unit,
  testId = "anomaly-streaming-chart",
}: {
  points: ScoredChartPoint[];
  streaming: StreamingInfo;
  unit?: string | null;
  testId?: string;
}) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const rows = points.map((p) => ({
    ts: p.ts,
    value: p.value,
    score: p.score,
    alert: p.flag ? p.value : null,
    alertScore: p.flag ? p.score : null,
  }));
  const lo = points[0]?.ts ?? 0,
    hi = points[points.length - 1]?.ts ?? 0;
  const span = points.length ? probationSpan(streaming, lo, hi) : null;
  const alerts = points.filter((p) => p.flag).length;
  const x = <XAxis dataKey="ts" type="number" domain={[lo, hi]} scale="time" tickFormatter={fmt} minTickGap={40} />;
  // Chart labels: the text from the catalogs, the placement beside it.
  const probationLabel = { value: t("chart.probation"), position: "insideTopLeft" as const, fontSize: 12 };
  const scoreLabel = { value: t("chart.score"), angle: -90, position: "insideLeft" as const };
  const thresholdLabel = {
    value: t("chart.threshold", { threshold: n(streaming.threshold) }),
    position: "insideTopRight" as const,
    fill: "#c92a2a",
    fontSize: 12,
  };
  const band = span && (
    <ReferenceArea x1={span[0]} x2={span[1]} fill="#ced4da" fillOpacity={0.45} label={probationLabel} />
  );
  return (
    <div
      data-testid={testId}
      data-points={points.length}
      data-alerts={alerts}
      data-threshold={streaming.threshold}
      data-probation={span ? "shown" : "none"}
      style={{ width: "100%" }}
    >
      <div style={{ height: 300 }}>
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 16, right: 20, bottom: 0, left: 10 }} syncId="streaming">
            <CartesianGrid strokeDasharray="3 3" />
            {x}
            <YAxis unit={unit ? ` ${unit}` : undefined} width={80} domain={["auto", "auto"]} />
            {band}
            <Line dataKey="value" name={t("chart.value")} stroke="#495057" dot={false} isAnimationActive={false} />
            <Scatter
              dataKey="alert"
              name={t("chart.alert")}
              fill="#e03131"
              isAnimationActive={false}
              className="anomaly-alerts"
            >
              <LabelList
                dataKey="alertScore"
                position="top"
                formatter={(v: unknown) =>
                  typeof v === "number"
                    ? t("chart.alertLabel", { score: n(v, { minimumFractionDigits: 2, maximumFractionDigits: 2 }) })
                    : ""
                }
                fontSize={11}
                fill="#c92a2a"
              />
            </Scatter>
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div style={{ height: 170 }}>
        <ResponsiveContainer>
          <ComposedChart data={rows} margin={{ top: 8, right: 20, bottom: 10, left: 10 }} syncId="streaming">
            <CartesianGrid strokeDasharray="3 3" />
            {x}
            <YAxis width={80} domain={[0, 1]} label={scoreLabel} />
            {band}
            <ReferenceLine y={streaming.threshold} stroke="#e03131" strokeDasharray="6 3" label={thresholdLabel} />
            <Line dataKey="score" name={t("chart.score")} stroke="#1c7ed6" dot={false} isAnimationActive={false} />
            <Scatter dataKey="alertScore" name={t("chart.alertScore")} fill="#e03131" isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </div>
  );
}
