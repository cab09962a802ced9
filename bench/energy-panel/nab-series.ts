/** A NAB corpus file as a series, the way bench/energy-panel reads it. */
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { prepareSeries, seriesFromPoints } from "../../server/services/energy/prepare.js";
import type { LoadedSeries } from "../../server/services/energy/series.js";

export const NAB = "bench/data/nab/data";

/** Irregular files (median step not a whole 5 min) are resampled to 5-min multiples; gaps up to 12 steps filled linearly. */
export function loadNab(name: string): { series: LoadedSeries; note: string } {
  const text = gunzipSync(readFileSync(`${NAB}/${name}.csv.gz`))
    .toString("utf8")
    .trim()
    .split(/\r?\n/);
  const headers = text[0].split(",");
  const rows = text.slice(1).map((l) => l.split(","));
  const table = { format: "csv" as const, headers, rows, firstRowNumber: 2 };
  const mapping = { timestampColumn: "timestamp", targetColumn: "value", covariates: [] };
  const probe = prepareSeries(table, mapping, { resampleSeconds: null, fill: "none", maxGapSteps: 0 });
  const inferred = probe.report.inferredFrequencySeconds!;
  const resample =
    inferred % 300 === 0 || inferred % 3600 === 0 ? null : Math.max(300, Math.round(inferred / 300) * 300);
  const r = prepareSeries(table, mapping, { resampleSeconds: resample, fill: "linear", maxGapSteps: 12 });
  if (!r.ok) throw new Error(`${name}: ${r.reasons.join("; ")}`);
  const series = seriesFromPoints(r.points, {
    assetId: 0,
    targetName: "value",
    unit: null,
    frequencySeconds: r.report.frequencySeconds,
    covariates: [],
  });
  return { series, note: resample ? `resampled ${inferred} s → ${resample} s` : "" };
}
