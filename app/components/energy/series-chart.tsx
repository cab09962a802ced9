import { useMemo } from "react";
import { LineChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import { ReferenceArea, ReferenceDot } from "recharts";

export interface ChartWindow {
  startTs: string | Date;
  endTs: string | Date;
  label: string;
}

const fmtTick = (t: number, spanMs: number) => {
  const d = new Date(t);
  const day = d.toISOString().slice(0, 10);
  return spanMs <= 3 * 86_400_000 ? d.toISOString().slice(11, 16) + (spanMs > 86_400_000 ? ` ${day.slice(5)}` : "") : day;
};

/** One series over time (already LTTB-downsampled by the server); anomaly windows shaded, dropouts marked. */
export function SeriesChart({
  t,
  v,
  windows = [],
  flagged = [],
  name = "value",
  unit,
  height = 340,
}: {
  t: number[];
  v: number[];
  windows?: ChartWindow[];
  flagged?: { t: number; v: number | null }[];
  name?: string;
  unit?: string | null;
  height?: number;
}) {
  const data = useMemo(() => t.map((x, i) => ({ t: x, [name]: v[i] })), [t, v, name]);
  if (t.length === 0) return <Text c="dimmed" size="sm" data-testid="energy-series-empty">No points in this range.</Text>;
  const lo = t[0], hi = t[t.length - 1];
  const span = hi - lo;
  const shaded = windows
    .map((w) => ({ ...w, a: new Date(w.startTs).getTime(), b: new Date(w.endTs).getTime() }))
    .filter((w) => w.b >= lo && w.a <= hi);
  return (
    <div data-testid="energy-series-chart">
      <LineChart
        h={height}
        data={data}
        dataKey="t"
        series={[{ name, color: "teal.6", label: unit ? `${name} (${unit})` : name }]}
        withDots={false}
        curveType="linear"
        strokeWidth={1.2}
        xAxisProps={{ type: "number", domain: [lo, hi], scale: "time", tickFormatter: (x: number) => fmtTick(x, span) }}
        tooltipProps={{ labelFormatter: (x: unknown) => (typeof x === "number" && Number.isFinite(x) ? new Date(x).toISOString().replace("T", " ").slice(0, 16) + " UTC" : String(x ?? "")) }}
        valueFormatter={(x) => (Number.isFinite(x) ? x.toFixed(2) : "—")}
        withLegend
      >
        {shaded.map((w, i) => (
          <ReferenceArea key={i} yAxisId="left" x1={Math.max(w.a, lo)} x2={Math.min(w.b, hi)} fill="var(--mantine-color-red-5)" fillOpacity={0.15} ifOverflow="hidden" label={{ value: w.label, position: "insideTop", fontSize: 11 }} />
        ))}
        {flagged
          .filter((f) => f.t >= lo && f.t <= hi && f.v !== null)
          .map((f) => (
            <ReferenceDot key={f.t} yAxisId="left" x={f.t} y={f.v!} r={5} fill="var(--mantine-color-orange-6)" stroke="none" label={{ value: "dropout", position: "top", fontSize: 11 }} />
          ))}
      </LineChart>
    </div>
  );
}
