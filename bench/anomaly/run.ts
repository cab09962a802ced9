/**
 * Anomaly-detection benchmark on NAB machine_temperature_system_failure (the built-in asset,
 * 5-min steps, 4 labelled windows; the last one is the catastrophic failure).
 *
 * Forecasters: a GBDT (XGBoost through the addon, exported to ONNX, one-step-ahead forecasts
 * with onnxruntime-node over every point, the product's residuals.ts path) and seasonal naive
 * (season one day; band from the lookback's seasonal differences) as an extra row.
 * Detector: the product's quantile detector fitted on clean points (not dropout-flagged, outside
 * every labelled window) of either (a) the data before the first window ("pre-window") or
 * (b) the forecaster's training part, i.e. the first 80 % ("train-part"); then detection over
 * the whole series. Settings: high_quantile 0.99 / 0.995 / 0.999, score raw vs /width, merge gap
 * 12 or 72 points (1 h, 6 h).
 * Scores: event precision (an event is a TP if it overlaps a window), event recall (a window is
 * recalled if any event overlaps it), point precision/recall (flags inside windows), and for the
 * failure window the first flag inside it relative to its start and to its labelled point.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/anomaly/run.ts
 * Writes bench/results/anomaly.{json,md}.
 */
import { writeFileSync } from "node:fs";
import os from "node:os";
import { closeDb, db } from "../../db/db.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import { OnnxForecaster, trainForecaster } from "../../server/services/energy/forecasting.js";
import { seasonalNaive, seasonSteps } from "../../server/services/energy/seasonal-naive.js";
import { loadSeries } from "../../server/services/energy/series.js";
import { BUILTIN_NAB_NAME, POINT_FLAGS } from "../../server/services/energy/types.js";
import { fitQuantileDetector, flagScores, groupEvents, residualScores, type ScoreMode } from "../../server/services/anomaly/detector.js";
import { insideWindows, labelledWindows } from "../../server/services/anomaly/detectors.js";
import { oneStepForecasts, type PointForecasts } from "../../server/services/anomaly/residuals.js";
import { loadNote } from "../machine-note.js";

const L = Number(process.env.BENCH_LOOKBACK ?? 288), H = 12, ROUNDS = Number(process.env.BENCH_ROUNDS ?? 100);
const QUANTILES = [0.99, 0.995, 0.999];
const MODES: ScoreMode[] = ["raw", "width"];
const GAPS = [12, 72];

db();
const asset = await EnergyAsset.query().findOne({ name: BUILTIN_NAB_NAME }).whereNull("userId");
if (!asset) throw new Error("the NAB asset is not seeded (npx tsx seeds/run.ts)");
const series = await loadSeries({ assetId: asset.id, userId: 0 });
const T = series.timestamps.length;
const ts = series.timestamps;
const windows = await labelledWindows(asset.id);
const inWin = insideWindows(ts, windows);
const season = seasonSteps(series.frequencySeconds!);
const failure = windows[windows.length - 1];
console.log(`NAB: ${T} points, ${windows.length} windows, ${inWin.reduce((a, b) => a + b, 0)} points inside them`);

const forecasts: { name: string; q: PointForecasts; trainSeconds: number | null; inferSeconds: number; trainPoints: number; lookback: number }[] = [];

// GBDT: trained on the first 80 % (the last 10 % of it validates), as energy.train does.
{
  const t0 = performance.now();
  const t = await trainForecaster(series, { kind: "gbdt", lookback: L, horizon: H, epochs: ROUNDS, seed: 1, threads: 2 });
  const trainSeconds = (performance.now() - t0) / 1000;
  const f = await OnnxForecaster.create(t.onnx, t.config);
  const t1 = performance.now();
  const q = await oneStepForecasts(f, series);
  forecasts.push({ name: `gbdt (L ${L}, H ${H}, ${ROUNDS} rounds, best ${t.best})`, q, trainSeconds, inferSeconds: (performance.now() - t1) / 1000, trainPoints: t.config.split.trainPoints, lookback: L });
  console.log(`gbdt trained in ${trainSeconds.toFixed(1)} s, one-step forecasts of ${T} points in ${((performance.now() - t1) / 1000).toFixed(1)} s`);
}
// Seasonal naive: ŷ_t = y_{t−season}, band from the seasonal differences of the 2-day lookback.
{
  const Ln = 2 * season;
  const t1 = performance.now();
  const q: PointForecasts = { q10: new Float32Array(T).fill(NaN), q50: new Float32Array(T).fill(NaN), q90: new Float32Array(T).fill(NaN) };
  const clean = Float32Array.from(series.values, (v, i) => (series.flags[i] & POINT_FLAGS.DROPOUT ? NaN : v));
  for (let i = Ln; i < T; i++) {
    const f = seasonalNaive(clean.subarray(i - Ln, i), 1, season);
    q.q10[i] = f.q10[0]; q.q50[i] = f.q50[0]; q.q90[i] = f.q90[0];
  }
  forecasts.push({ name: "seasonal naive (season 1 day)", q, trainSeconds: null, inferSeconds: (performance.now() - t1) / 1000, trainPoints: T - Math.round(T * 0.2), lookback: Ln });
}

const firstWindowIdx = ts.findIndex((t) => t >= windows[0].start);
const overlaps = (e: { start: number; end: number }, w: { start: number; end: number }) => e.start <= w.end && e.end >= w.start;
const rows: Record<string, any>[] = [];
for (const fc of forecasts) {
  for (const mode of MODES) {
    const scores = residualScores(series.values, fc.q, mode);
    for (const fit of ["pre-window", "train-part"] as const) {
      const end = fit === "pre-window" ? firstWindowIdx : fc.trainPoints;
      const clean: number[] = [];
      for (let i = fc.lookback; i < end; i++) if (!(series.flags[i] & POINT_FLAGS.DROPOUT) && !inWin[i] && Number.isFinite(scores[i])) clean.push(scores[i]);
      for (const hq of QUANTILES) {
        const d = fitQuantileDetector(clean, { lowQuantile: null, highQuantile: hq });
        const flags = flagScores(scores, d);
        let flagged = 0, flaggedIn = 0, winPoints = 0;
        for (let i = 0; i < T; i++) { flagged += flags[i]; if (inWin[i]) { winPoints++; flaggedIn += flags[i]; } }
        let firstInFailure: number | null = null;
        for (let i = 0; i < T; i++) if (flags[i] && ts[i] >= failure.start && ts[i] <= failure.end) { firstInFailure = ts[i]; break; }
        for (const gap of GAPS) {
          const events = groupEvents(ts, flags, scores, gap);
          const tp = events.filter((e) => windows.some((w) => overlaps(e, w))).length;
          const recalled = windows.filter((w) => events.some((e) => overlaps(e, w))).length;
          const ep = events.length ? tp / events.length : 0, er = recalled / windows.length;
          const pp = flagged ? flaggedIn / flagged : 0, pr = flaggedIn / winPoints;
          rows.push({
            forecaster: fc.name, scoreMode: mode, fitRange: fit, fitPoints: d.summary.n, highQuantile: hq, threshold: d.high, mergeGap: gap,
            events: events.length, eventsTrue: tp, eventPrecision: ep, windowsRecalled: recalled, eventRecall: er, eventF1: ep + er ? (2 * ep * er) / (ep + er) : 0,
            flagged, pointPrecision: pp, pointRecall: pr, pointF1: pp + pr ? (2 * pp * pr) / (pp + pr) : 0,
            failureFirstFlag: firstInFailure ? new Date(firstInFailure).toISOString() : null,
            failureMinutesAfterStart: firstInFailure ? (firstInFailure - failure.start) / 60_000 : null,
            failureMinutesBeforeLabel: firstInFailure && failure.label ? (failure.label - firstInFailure) / 60_000 : null,
          });
        }
      }
    }
  }
}
const rank = (r: Record<string, any>) => r.eventF1 * 10 + r.pointF1;
const best = [...rows].sort((a, b) => rank(b) - rank(a))[0];
const result = {
  date: new Date().toISOString(),
  machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, memGiB: +(os.totalmem() / 2 ** 30).toFixed(1), node: process.version, note: loadNote() },
  series: { points: T, frequencySeconds: series.frequencySeconds, windows: windows.map((w) => ({ start: new Date(w.start).toISOString(), end: new Date(w.end).toISOString(), label: w.label ? new Date(w.label).toISOString() : null })) },
  forecasters: forecasts.map((f) => ({ name: f.name, trainSeconds: f.trainSeconds, inferSeconds: f.inferSeconds, trainPoints: f.trainPoints, lookback: f.lookback })),
  best,
  rows,
};
writeFileSync("bench/results/anomaly.json", JSON.stringify(result, null, 2) + "\n");
const pct = (v: number) => `${(v * 100).toFixed(1)} %`;
const minutes = (v: number | null) => (v === null ? "not flagged" : `${v.toFixed(0)} min`);
const line = (r: Record<string, any>) =>
  `| ${r.forecaster.split(" (")[0]} | ${r.scoreMode} | ${r.fitRange} | ${r.highQuantile} | ${r.mergeGap} | ${r.events} | ${pct(r.eventPrecision)} | ${r.windowsRecalled}/4 | ${pct(r.pointPrecision)} | ${pct(r.pointRecall)} | ${minutes(r.failureMinutesAfterStart)} | ${minutes(r.failureMinutesBeforeLabel)} |`;
const head = "| forecaster | score | fit on | high q | gap | events | event precision | windows recalled | point precision | point recall | failure: first flag after window start | before label |\n| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
const md = [
  "# Anomaly detection on NAB machine temperature",
  "",
  `Date: ${result.date}. Machine: ${result.machine.cpus} × ${result.machine.model}, ${result.machine.memGiB} GiB, Node ${result.machine.node} (${result.machine.note}).`,
  "",
  `Series: ${T} points (5 min), ${windows.length} labelled windows (NAB combined_windows; the last is the failure, label ${result.series.windows.at(-1)?.label}). ` +
    `Forecasters: ${forecasts.map((f) => `${f.name}: ${f.trainSeconds === null ? "no training" : `trained in ${f.trainSeconds.toFixed(0)} s`}, one-step forecasts of every point in ${f.inferSeconds.toFixed(1)} s`).join("; ")}. ` +
    "Detector: high quantile only (no low threshold), fitted on clean points (outside every labelled window, not dropout) before the first window (pre-window) or of the first 80 % (train-part); detection over the whole series. " +
    "An event is a true positive if it overlaps a window; a window is recalled if an event overlaps it. Point precision/recall count flagged points inside windows. Run: `eval \"$(bash scripts/dev-db.sh)\" && nice -n 10 npx tsx bench/anomaly/run.ts`.",
  "",
  "## Best setting (event F1, then point F1)",
  "",
  head,
  line(best),
  "",
  "## All settings",
  "",
  head,
  ...rows.map(line),
  "",
].join("\n");
writeFileSync("bench/results/anomaly.md", md);
console.log(md.split("\n").slice(0, 12).join("\n"));
await closeDb();
