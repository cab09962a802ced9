import { useMemo, useState } from "react";
import { LineChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import { Brush, ReferenceArea, ReferenceDot } from "recharts";

export interface ChartWindow {
  startTs: string | Date;
  endTs: string | Date;
  label: string;
}

/** Axis labels for the visible span (UTC): hours within a day, day and hour up to two weeks, days beyond. */
export const fmtTick = (t: number, spanMs: number) => {
  const iso = new Date(t).toISOString();
  if (spanMs <= 86_400_000) return iso.slice(11, 16);
  if (spanMs <= 14 * 86_400_000) return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
  return iso.slice(0, 10);
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
  // The part the brush below the chart shows (drag its ends to zoom, its middle to pan).
  const [view, setView] = useState<{ start: number; end: number } | null>(null);
  if (t.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="energy-series-empty">
        No points in this range.
      </Text>
    );
  const first = view && view.end < t.length ? view.start : 0;
  const last = view && view.end < t.length ? view.end : t.length - 1;
  const lo = t[first],
    hi = t[last];
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
        xAxisProps={{
          type: "number",
          domain: ["dataMin", "dataMax"],
          scale: "time",
          tickFormatter: (x: number) => fmtTick(x, span),
          minTickGap: 24,
        }}
        xAxisLabel="time (UTC)"
        yAxisLabel={unit ? `${name} (${unit})` : name}
        tooltipProps={{
          labelFormatter: (x: unknown) =>
            typeof x === "number" && Number.isFinite(x)
              ? new Date(x).toISOString().replace("T", " ").slice(0, 16) + " UTC"
              : String(x ?? ""),
        }}
        valueFormatter={(x) => (Number.isFinite(x) ? x.toFixed(2) : "—")}
        withLegend
      >
        {shaded.map((w, i) => (
          <ReferenceArea
            key={i}
            yAxisId="left"
            x1={Math.max(w.a, lo)}
            x2={Math.min(w.b, hi)}
            fill="var(--mantine-color-red-5)"
            fillOpacity={0.15}
            ifOverflow="hidden"
            label={{ value: w.label, position: "insideTop", fontSize: 11 }}
          />
        ))}
        {flagged
          .filter((f) => f.t >= lo && f.t <= hi && f.v !== null)
          .map((f) => (
            <ReferenceDot
              key={f.t}
              yAxisId="left"
              x={f.t}
              y={f.v!}
              r={5}
              fill="var(--mantine-color-orange-6)"
              stroke="none"
              label={{ value: "dropout", position: "top", fontSize: 11 }}
            />
          ))}
        <Brush
          dataKey="t"
          height={26}
          travellerWidth={10}
          stroke="var(--mantine-color-teal-6)"
          tickFormatter={(x: number) => fmtTick(x, Math.max(span, 2 * 86_400_000))}
          onChange={(r: { startIndex?: number; endIndex?: number }) =>
            setView({ start: r.startIndex ?? 0, end: r.endIndex ?? t.length - 1 })
          }
        />
      </LineChart>
      <Text size="xs" c="dimmed">
        Drag the ends of the bar under the chart to zoom into a period, its middle to move along the series.
      </Text>
    </div>
  );
}
