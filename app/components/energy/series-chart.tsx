import { useMemo, useState } from "react";
import { LineChart } from "@mantine/charts";
import { Text } from "@mantine/core";
import { Brush, ReferenceArea, ReferenceDot } from "recharts";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";

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

/** Where the shaded windows' and the dropout dots' labels sit (recharts positions, not text). */
const WINDOW_LABEL = { position: "insideTop", fontSize: 11 } as const;
const DOT_LABEL = { position: "top", fontSize: 11 } as const;

/** One series over time (already LTTB-downsampled by the server); anomaly windows shaded, dropouts marked. */
export function SeriesChart({
  t: times,
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
  const { t } = useTranslation("energy");
  const fmt = useFormat();
  const data = useMemo(() => times.map((x, i) => ({ t: x, [name]: v[i] })), [times, v, name]);
  // The part the brush below the chart shows (drag its ends to zoom, its middle to pan).
  const [view, setView] = useState<{ start: number; end: number } | null>(null);
  if (times.length === 0)
    return (
      <Text c="dimmed" size="sm" data-testid="energy-series-empty">
        {t("chart.empty")}
      </Text>
    );
  const first = view && view.end < times.length ? view.start : 0;
  const last = view && view.end < times.length ? view.end : times.length - 1;
  const lo = times[first],
    hi = times[last];
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
        xAxisLabel={t("chart.time")}
        yAxisLabel={unit ? `${name} (${unit})` : name}
        tooltipProps={{
          labelFormatter: (x: unknown) =>
            typeof x === "number" && Number.isFinite(x)
              ? new Date(x).toISOString().replace("T", " ").slice(0, 16) + " UTC"
              : String(x ?? ""),
        }}
        valueFormatter={(x) => fmt.n(x, { maximumFractionDigits: 2 })}
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
            label={{ value: w.label, ...WINDOW_LABEL }}
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
              label={{ value: t("chart.dropout"), ...DOT_LABEL }}
            />
          ))}
        <Brush
          dataKey="t"
          height={26}
          travellerWidth={10}
          stroke="var(--mantine-color-teal-6)"
          tickFormatter={(x: number) => fmtTick(x, Math.max(span, 2 * 86_400_000))}
          onChange={(r: { startIndex?: number; endIndex?: number }) =>
            setView({ start: r.startIndex ?? 0, end: r.endIndex ?? times.length - 1 })
          }
        />
      </LineChart>
      <Text size="xs" c="dimmed">
        {t("chart.brushHelp")}
      </Text>
    </div>
  );
}
