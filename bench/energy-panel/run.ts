/**
 * Energy panel: what a user gets with the defaults (Auto, settings from the inferred frequency:
 * server/services/energy/defaults.ts) on Steel plus NAB series with a daily cycle, last 20 %
 * held out. Per series: MASE (scale: the training part's one-day seasonal difference) of the
 * chosen model and of seasonal naive on the same windows, 10–90 % coverage and width with the
 * conformal calibration (and of the same model's band before it), the candidates' validation
 * MASE, training time. Median and worst over the panel.
 *
 * Series roles (README.md): DEV were looked at while choosing settings; TEST were not, and are
 * the headline.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/energy-panel/run.ts [--budget 30] [--only name,…]
 * Writes bench/results/energy-panel.{json,md}. On a busy machine: run `--shard i/n` for i = 1…n,
 * optionally with `--set dev|test` (each writes .local/energy-panel.<set|all>-<i>of<n>.json), then
 * `--merge tag,tag,…` (e.g. dev-1of1,test-1of2,test-2of2) writes the results; the budget counts
 * CPU seconds, so shards sharing the cores give the same models.
 */
import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import os from "node:os";
import { median } from "simple-statistics";
import { closeDb, db } from "../../db/db.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import { BAND_MODE } from "../../server/services/energy/band-scale.js";
import { trainAuto } from "../../server/services/energy/auto.js";
import { AUTO_BUDGET_SECONDS, forecastDefaults, HELD_OUT_FRACTION } from "../../server/services/energy/defaults.js";
import {
  evaluateSeriesOnTail,
  seasonalNaiveForecaster,
  type TailEvaluation,
} from "../../server/services/energy/evaluate.js";
import { OnnxForecaster } from "../../server/services/energy/forecasting.js";
import { loadSeries, type LoadedSeries } from "../../server/services/energy/series.js";
import { BUILTIN_STEEL_NAME } from "../../server/services/energy/types.js";
import { loadNote } from "../machine-note.js";
import { loadNab } from "./nab-series.js";
import { DEV, TEST } from "./series-sets.js";

const args = process.argv.slice(2);
const arg = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const budget = Number(arg("--budget") ?? AUTO_BUDGET_SECONDS);
const only = arg("--only")?.split(",");
const shard = arg("--shard")?.split("/").map(Number);
const set = arg("--set");
if (set && set !== "dev" && set !== "test") throw new Error(`--set takes dev or test, got ${set}`);
const shardTag = shard ? `${set ?? "all"}-${shard[0]}of${shard[1]}` : null;
const mergeTags = arg("--merge")?.split(",") ?? null;
const merge = mergeTags?.length ?? null;

db();
const names = [...DEV, ...TEST]
  .filter((n) => (!only || only.some((o) => n.includes(o))) && (!set || (set === "dev") === DEV.includes(n)))
  .filter((_, i) => !shard || i % shard[1] === shard[0] - 1);
const rows: Record<string, unknown>[] = [];
const started = Date.now();
let mergedSeconds: number | null = null;
if (merge) {
  const parts = mergeTags!.map(
    (tag) =>
      JSON.parse(readFileSync(`.local/energy-panel.${tag}.json`, "utf8")) as {
        rows: Record<string, unknown>[];
        seconds: number;
        note: string;
      },
  );
  const order = [...DEV, ...TEST];
  rows.push(
    ...parts
      .flatMap((p) => p.rows)
      .sort((a, b) => order.indexOf(a.series as string) - order.indexOf(b.series as string)),
  );
  mergedSeconds = Math.max(...parts.map((p) => p.seconds));
  console.log(parts.map((p, i) => `${mergeTags![i]}: ${p.note}`).join("\n"));
}
for (const name of merge ? [] : names) {
  let series: LoadedSeries,
    note = "";
  if (name === "steel") {
    const asset = await EnergyAsset.query().findOne({ name: BUILTIN_STEEL_NAME }).whereNull("userId");
    if (!asset) throw new Error("the Steel asset is not seeded (npx tsx seeds/run.ts)");
    series = await loadSeries({ assetId: asset.id, userId: 0 });
  } else ({ series, note } = loadNab(name));
  const freq = series.frequencySeconds!;
  const d = forecastDefaults(freq, series.timestamps.length);
  const auto = await trainAuto(series, {
    lookback: d.lookback,
    horizon: d.horizon,
    fraction: HELD_OUT_FRACTION,
    budgetSeconds: budget,
    seed: 1,
  });
  const t = auto.trained;
  const opts = { lookback: d.lookback, horizon: d.horizon, fraction: HELD_OUT_FRACTION };
  const ev = await evaluateSeriesOnTail(series, (await OnnxForecaster.create(t.onnx, t.config)).asForecaster(), {
    ...opts,
    name: t.config.kind,
  });
  const raw: TailEvaluation = await evaluateSeriesOnTail(
    series,
    (await OnnxForecaster.create(t.rawOnnx!, { ...t.config, calibration: null })).asForecaster(),
    { ...opts, name: "uncalibrated" },
  );
  const sn = await evaluateSeriesOnTail(series, seasonalNaiveForecaster(d.season), { ...opts, name: "seasonal naive" });
  const row = {
    series: name,
    role: DEV.includes(name) ? "dev" : "test",
    points: series.timestamps.length,
    frequencySeconds: freq,
    note,
    lookback: d.lookback,
    horizon: d.horizon,
    windows: ev.windows,
    chosen: t.config.kind,
    mase: ev.metrics.mase,
    coverage: ev.metrics.coverage,
    width: ev.metrics.intervalWidth,
    widthOverScale: ev.metrics.intervalWidth / ev.scale,
    coverageUncalibrated: raw.metrics.coverage,
    naiveMase: sn.metrics.mase,
    naiveCoverage: sn.metrics.coverage,
    trainSeconds: +t.trainSeconds.toFixed(1),
    cpuSeconds: +auto.cpuSeconds.toFixed(1),
    calibration: t.config.calibration,
    validationUnusualShare: auto.validationUnusualShare,
    seasonalOnly: auto.seasonalOnly,
    candidates: auto.candidates.map((c) => ({
      kind: c.kind,
      status: c.status,
      valMase: c.valMase,
      trainSeconds: c.trainSeconds === null ? null : +c.trainSeconds.toFixed(1),
      chosen: c.chosen,
    })),
  };
  rows.push(row);
  console.log(JSON.stringify(row.candidates), JSON.stringify(row.calibration));
  console.log(
    `${name}: ${row.chosen} MASE ${row.mase.toFixed(3)} (naive ${row.naiveMase.toFixed(3)}), coverage ${row.coverage.toFixed(3)} (uncalibrated ${row.coverageUncalibrated.toFixed(3)}), ${row.trainSeconds} s`,
  );
}

if (shard) {
  mkdirSync(".local", { recursive: true });
  writeFileSync(
    `.local/energy-panel.${shardTag}.json`,
    JSON.stringify({ rows, seconds: Math.round((Date.now() - started) / 1000), note: loadNote() }),
  );
  await closeDb();
  process.exit(0);
}
// Labelled NAB anomaly windows that reach into the validation part (where Auto chooses and calibrates) or the held-out tail.
const windows = JSON.parse(readFileSync("bench/data/nab/windows.json", "utf8")) as Record<string, [string, string][]>;
for (const r of rows) {
  const w = windows[`${r.series}.csv`];
  r.anomalyIn = [];
  if (!w?.length) continue;
  const { series } = loadNab(r.series as string);
  const T = series.timestamps.length;
  const trainPoints = T - Math.round(T * HELD_OUT_FRACTION);
  const valStart = series.timestamps[trainPoints - Math.max(r.horizon as number, Math.round(trainPoints * 0.1))],
    tailStart = series.timestamps[trainPoints];
  const ms = (t: string) => Date.parse(t.replace(" ", "T").slice(0, 19) + "Z");
  if (w.some(([a, b]) => ms(b) >= valStart && ms(a) < tailStart)) (r.anomalyIn as string[]).push("validation");
  if (w.some(([, b]) => ms(b) >= tailStart)) (r.anomalyIn as string[]).push("tail");
}
const summary = (set: Record<string, unknown>[]) => {
  if (!set.length) return null;
  const m = set.map((r) => r.mase as number),
    c = set.map((r) => r.coverage as number);
  return {
    series: set.length,
    medianMase: median(m),
    worstMase: Math.max(...m),
    medianNaiveMase: median(set.map((r) => r.naiveMase as number)),
    medianCoverage: median(c),
    minCoverage: Math.min(...c),
    maxCoverage: Math.max(...c),
    coverageInBand: c.filter((v) => v >= 0.75 && v <= 0.85).length,
    maseAbove1: m.filter((v) => v > 1).length,
    medianTrainSeconds: median(set.map((r) => r.trainSeconds as number)),
  };
};
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    note: loadNote(),
  },
  settings: {
    model: "auto",
    budgetSeconds: budget,
    heldOutFraction: HELD_OUT_FRACTION,
    defaults: "forecastDefaults(frequency, points) in server/services/energy/defaults.ts",
    calibration: `split-conformal (server/services/energy/calibration.ts): a fitted model on the validation part, seasonal naive / mean / median on every window before the tail; band mode ${BAND_MODE} (band-scale.ts)`,
  },
  devSeries: DEV,
  testSeries: TEST,
  /** The headline: series no setting was chosen on. */
  test: summary(rows.filter((r) => r.role === "test")),
  dev: summary(rows.filter((r) => r.role === "dev")),
  all: summary(rows),
  /** The test series with no labelled NAB anomaly window in the validation part or the tail (a description, not a test of anything). */
  testWithoutLabelledAnomaly: summary(rows.filter((r) => r.role === "test" && !(r.anomalyIn as string[]).length)),
  totalSeconds: mergedSeconds ?? Math.round((Date.now() - started) / 1000),
  shards: merge,
  rows,
};
if (!only) {
  mkdirSync("bench/results", { recursive: true });
  writeFileSync("bench/results/energy-panel.json", JSON.stringify(result, null, 2) + "\n");
}
const f = (v: unknown, d = 3) => (typeof v === "number" && Number.isFinite(v) ? v.toFixed(d) : "–");
const cand = (r: Record<string, unknown>) =>
  (r.candidates as { kind: string; status: string; valMase: number | null }[])
    .map((c) => `${c.kind} ${c.valMase === null ? c.status : f(c.valMase)}`)
    .join("; ");
const calib = (r: Record<string, unknown>) => {
  const c = r.calibration as { part: string; leftOut?: number } | null;
  return c ? `${c.part} (${c.leftOut ?? 0})` : "–";
};
const md = [
  `# Energy panel: Auto with the derived defaults, last ${HELD_OUT_FRACTION * 100} % held out`,
  "",
  `Date ${result.date}; machine: ${result.machine.cpus} × ${result.machine.model}, ${result.machine.memGiB} GiB, Node ${result.machine.node} (${result.machine.note}). ${merge ? `Run as ${merge} shards side by side (each series trains in one process; the Auto budget counts CPU seconds, so sharing the cores does not change the models); wall time of the slowest shard` : "Total"} ${result.totalSeconds} s.`,
  "",
  `Settings: the form's defaults: model Auto (seasonal naive, seasonal mean, seasonal median, GBDT, TiDE; budget ${budget} CPU seconds per series), lookback/horizon from the inferred frequency (defaults.ts), chosen on the validation part (the last 10 % before the tail) without its unusual points (unusual-points.ts), 10–90 % band calibrated split-conformally (a fitted model on the validation part, a seasonal model on every window before the tail; unusual points left out), adaptive: offsets in units of each input window's scale (band mode ${BAND_MODE}, band-scale.ts); when over half the validation part is unusual only the seasonal candidates compete. How they were chosen: on the dev series only (${DEV.join(", ")}). Test series (the headline; no setting was chosen on them): ${TEST.join(", ")}. See bench/energy-panel/README.md. Held-out data: the last 20 % of every series, never used for training, choice or calibration.`,
  "MASE scale: mean |y_t − y_{t−1 day}| over the training part; seasonal naive rows are scored on the same windows. Coverage = share of tail actuals inside [q10, q90] (nominal 0.80); width in units of the MASE scale.",
  "",
  `| set | series | median MASE | worst MASE | median naive MASE | series with MASE > 1 | coverage min–max | coverage in [0.75, 0.85] | median training s |`,
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...(["test", "dev", "all", "testWithoutLabelledAnomaly"] as const).flatMap((k) => {
    const s = result[k];
    return !s
      ? []
      : `| ${k} | ${s.series} | ${f(s.medianMase)} | ${f(s.worstMase)} | ${f(s.medianNaiveMase)} | ${s.maseAbove1} | ${f(s.minCoverage)}–${f(s.maxCoverage)} | ${s.coverageInBand} / ${s.series} | ${f(s.medianTrainSeconds, 1)} |`;
  }),
  "",
  "The last summary row describes rather than tests: the test series with no labelled NAB anomaly window in the validation part or in the held-out tail (labels are read only here, never by the product).",
  "",
  "| series | role | points | step s | L | H | chosen | MASE | seasonal naive MASE | coverage (calibrated) | coverage before calibration | naive coverage | width / scale | training s (CPU s) | calibration part (unusual points left out) | candidates (validation MASE) |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows.map(
    (r) =>
      `| ${r.series}${r.note ? ` (${r.note})` : ""} | ${r.role}${(r.anomalyIn as string[]).length ? ` (anomaly in ${(r.anomalyIn as string[]).join(" and ")})` : ""} | ${r.points} | ${r.frequencySeconds} | ${r.lookback} | ${r.horizon} | ${r.chosen} | ${f(r.mase)} | ${f(r.naiveMase)} | ${f(r.coverage)} | ${f(r.coverageUncalibrated)} | ${f(r.naiveCoverage)} | ${f(r.widthOverScale, 2)} | ${r.trainSeconds} (${r.cpuSeconds}) | ${calib(r)} | ${cand(r)} |`,
  ),
  "",
].join("\n");
if (!only) writeFileSync("bench/results/energy-panel.md", md);
console.log(md);

await closeDb();
