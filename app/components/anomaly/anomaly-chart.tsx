import {
  Area,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  Tooltip,
  XAxis,
  YAxis,
} from "recharts";
import { useTranslation } from "react-i18next";
import type { ScoredPoint } from "../../../server/services/anomaly/realtime";
import { useFormat } from "../../lib/format";
import { fmtTick as fmt } from "./times";

/** A point as the anomaly procedures score it (batch results and real-time replies alike). */
export type ScoredChartPoint = ScoredPoint;

/**
 * The series (line), the one-step median forecast (dashed), the 10–90 % band (area) and the
 * flagged points (red dots, a scatter series). Times in UTC (the series' wall clock).
 */
export function AnomalyChart({
  points,
  unit,
  height = 380,
  testId = "anomaly-chart",
}: {
  points: ScoredChartPoint[];
  unit?: string | null;
  height?: number;
  testId?: string;
}) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const two = (v: unknown) => n(Number(v), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const rows = points.map((p) => ({
    ts: p.ts,
    actual: p.value,
    median: p.q50,
    band: p.q10 !== null && p.q90 !== null ? ([p.q10, p.q90] as [number, number]) : null,
    flagged: p.flag ? p.value : null,
  }));
  const flags = points.filter((p) => p.flag).length;
  return (
    <div data-testid={testId} data-points={points.length} data-flags={flags} style={{ width: "100%", height }}>
      <ResponsiveContainer>
        <ComposedChart data={rows} margin={{ top: 10, right: 20, bottom: 10, left: 10 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis
            dataKey="ts"
            type="number"
            domain={["dataMin", "dataMax"]}
            scale="time"
            tickFormatter={fmt}
            minTickGap={40}
          />
          <YAxis unit={unit ? ` ${unit}` : undefined} width={80} domain={["auto", "auto"]} />
          <Tooltip
            labelFormatter={(v) => fmt(Number(v))}
            formatter={(v: unknown) => (Array.isArray(v) ? `${two(v[0])} – ${two(v[1])}` : v === null ? "–" : two(v))}
          />
          <Legend />
          <Area
            dataKey="band"
            name={t("chart.band")}
            stroke="none"
            fill="#74c0fc"
            fillOpacity={0.35}
            isAnimationActive={false}
          />
          <Line dataKey="actual" name={t("chart.value")} stroke="#495057" dot={false} isAnimationActive={false} />
          <Line
            dataKey="median"
            name={t("chart.median")}
            stroke="#1c7ed6"
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
          <Scatter
            dataKey="flagged"
            name={t("chart.flagged")}
            fill="#e03131"
            isAnimationActive={false}
            className="anomaly-flags"
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
