import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { Area, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface ForecastData {
  history: { ts: number; value: number | null }[];
  forecast: { ts: number; q10: number; q50: number; q90: number }[];
  unit: string | null;
}

const fmt = (ts: number) => new Date(ts).toISOString().slice(5, 16).replace("T", " ");

/** History (line), median forecast (dashed line) and the 10–90 % band (area). Times in UTC (the series' wall clock). */
export function ForecastChart({ data, height = 360 }: { data: ForecastData; height?: number }) {
  const { t } = useTranslation("forecast");
  const { n } = useFormat();
  const v2 = (x: unknown) => n(Number(x), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const rows = [
    ...data.history.map((p) => ({ ts: p.ts, actual: p.value })),
    ...data.forecast.map((p) => ({ ts: p.ts, median: p.q50, band: [p.q10, p.q90] as [number, number] })),
  ];
  return (
    <div data-testid="forecast-chart" data-points={data.forecast.length} style={{ width: "100%", height }}>
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
          <YAxis unit={data.unit ? ` ${data.unit}` : undefined} width={80} />
          <Tooltip
            labelFormatter={(v) => fmt(Number(v))}
            formatter={(v: unknown) => (Array.isArray(v) ? `${v2(v[0])} – ${v2(v[1])}` : v2(v))}
          />
          <Legend />
          <Area
            dataKey="band"
            name={t("chart.band")}
            stroke="none"
            fill="#74c0fc"
            fillOpacity={0.4}
            isAnimationActive={false}
            connectNulls={false}
            className="forecast-band"
          />
          <Line dataKey="actual" name={t("chart.history")} stroke="#495057" dot={false} isAnimationActive={false} />
          <Line
            dataKey="median"
            name={t("chart.median")}
            stroke="#1c7ed6"
            strokeWidth={2}
            strokeDasharray="5 3"
            dot={false}
            isAnimationActive={false}
          />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
