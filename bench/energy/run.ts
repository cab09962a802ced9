/**
 * Energy forecasting benchmark on the built-in Steel series (UCI, 15-min): last 20 % held out,
 * L = 384 (4 days), H = 96 (1 day), rolling origins every H steps over the tail. For each model:
 * MASE against seasonal naive (season one day; MASE < 1 beats the naive scale), the seasonal-naive
 * forecaster's own MASE on the same windows, MAE/RMSE/sMAPE, 10–90 % coverage, training time.
 * Inference runs the exported ONNX graph with onnxruntime-node.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/energy/run.ts [kinds…]
 * Env: BENCH_EPOCHS_<KIND>=n to change the epochs/rounds. Writes bench/results/energy.{json,md}.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import os from "node:os";
import { closeDb, db } from "../../db/db.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import type { EnergyModelKind } from "../../native/energy.js";
import { evaluateSeriesOnTail, seasonalNaiveForecaster } from "../../server/services/energy/evaluate.js";
import { OnnxForecaster, trainForecaster } from "../../server/services/energy/forecasting.js";
import { seasonSteps } from "../../server/services/energy/seasonal-naive.js";
import { loadSeries } from "../../server/services/energy/series.js";
import { BUILTIN_STEEL_NAME } from "../../server/services/energy/types.js";
import { loadNote } from "../machine-note.js";

const L = 384,
  H = 96,
  FRACTION = 0.2;
const DEFAULT_EPOCHS: Record<EnergyModelKind, number> = { gbdt: 150, lstm: 6, tide: 15, tft: 4 };
const kinds = (
  process.argv.slice(2).length ? process.argv.slice(2) : ["gbdt", "lstm", "tide", "tft"]
) as EnergyModelKind[];

db(); // binds the Objection models
const asset = await EnergyAsset.query().findOne({ name: BUILTIN_STEEL_NAME }).whereNull("userId");
if (!asset) throw new Error("the Steel asset is not seeded (npx tsx seeds/run.ts)");
const series = await loadSeries({ assetId: asset.id, userId: 0 });
const season = seasonSteps(series.frequencySeconds!);
const naive = await evaluateSeriesOnTail(series, seasonalNaiveForecaster(season), {
  lookback: L,
  horizon: H,
  fraction: FRACTION,
  name: "seasonal naive",
});
console.log(
  `seasonal naive: MASE ${naive.metrics.mase.toFixed(3)}, coverage ${naive.metrics.coverage.toFixed(3)} (${naive.windows} windows)`,
);

const rows: Record<string, unknown>[] = [];
for (const kind of kinds) {
  const epochs = Number(process.env[`BENCH_EPOCHS_${kind.toUpperCase()}`] ?? DEFAULT_EPOCHS[kind]);
  const t = await trainForecaster(
    series,
    { kind, lookback: L, horizon: H, epochs, seed: 1, fraction: FRACTION, threads: kind === "gbdt" ? 2 : 1 },
    (e) => {
      if (e.epoch === 1 || e.epoch % Math.max(1, Math.round(e.total / 10)) === 0)
        console.log(
          `  ${kind} ${e.epoch}/${e.total} train ${e.trainLoss.toFixed(4)} val ${e.valLoss.toFixed(4)} (${e.elapsedMs.toFixed(0)} ms)`,
        );
    },
  );
  const f = await OnnxForecaster.create(t.onnx, t.config);
  const started = performance.now();
  const ev = await evaluateSeriesOnTail(series, f.asForecaster(), {
    lookback: L,
    horizon: H,
    fraction: FRACTION,
    name: kind,
  });
  const inferMs = (performance.now() - started) / ev.windows;
  const row = {
    model: kind,
    epochs,
    best: t.best,
    trainSeconds: +t.trainSeconds.toFixed(1),
    inferenceMsPerWindow: +inferMs.toFixed(2),
    mase: ev.metrics.mase,
    mae: ev.metrics.mae,
    rmse: ev.metrics.rmse,
    smape: ev.metrics.smape,
    coverage: ev.metrics.coverage,
    intervalWidth: ev.metrics.intervalWidth,
    trainWindows: t.config.split.trainWindows,
    onnxBytes: t.onnx.length,
  };
  rows.push(row);
  console.log(
    `${kind}: MASE ${ev.metrics.mase.toFixed(3)} coverage ${ev.metrics.coverage.toFixed(3)} train ${t.trainSeconds.toFixed(1)} s`,
  );
}

// BENCH_MERGE=1: keep the other models' rows of an earlier run (e.g. TFT run separately).
const suffix = process.env.BENCH_OUT_SUFFIX ?? "";
if (process.env.BENCH_MERGE === "1" && existsSync(`bench/results/energy${suffix}.json`)) {
  const old = JSON.parse(readFileSync(`bench/results/energy${suffix}.json`, "utf8")) as {
    models: Record<string, unknown>[];
  };
  const order = ["gbdt", "lstm", "tide", "tft"];
  rows.push(...old.models.filter((r) => !kinds.includes(r.model as EnergyModelKind)));
  rows.sort((a, b) => order.indexOf(a.model as string) - order.indexOf(b.model as string));
}
const result = {
  date: new Date().toISOString(),
  machine: {
    cpus: os.cpus().length,
    model: os.cpus()[0]?.model,
    memGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
    node: process.version,
    note: loadNote(),
  },
  series: {
    asset: BUILTIN_STEEL_NAME,
    points: series.timestamps.length,
    frequencySeconds: series.frequencySeconds,
    heldOutFraction: FRACTION,
    lookback: L,
    horizon: H,
    windows: naive.windows,
    maseScale: naive.scale,
  },
  seasonalNaive: {
    mase: naive.metrics.mase,
    mae: naive.metrics.mae,
    rmse: naive.metrics.rmse,
    smape: naive.metrics.smape,
    coverage: naive.metrics.coverage,
  },
  models: rows,
};
mkdirSync("bench/results", { recursive: true });
writeFileSync(`bench/results/energy${suffix}.json`, JSON.stringify(result, null, 2) + "\n");
const f3 = (v: unknown) => (typeof v === "number" ? v.toFixed(3) : String(v));
const md = [
  `# Energy forecasting benchmark (Steel, L = ${L}, H = ${H}, last ${FRACTION * 100} % held out)`,
  "",
  `Date ${result.date}; machine: ${result.machine.cpus} × ${result.machine.model}, ${result.machine.memGiB} GiB, Node ${result.machine.node} (${result.machine.note}).`,
  `${result.series.points} points, ${naive.windows} forecast windows of ${H} steps over the tail. MASE scale = mean |y_t − y_{t−96}| on the training part (${naive.scale.toFixed(3)} kWh).`,
  "Inference: the exported ONNX graph in onnxruntime-node. Quantiles 0.1/0.5/0.9, pinball loss; coverage = share of actuals inside [q10, q90] (nominal 0.8).",
  "",
  "| model | MASE | MAE (kWh) | RMSE | sMAPE % | coverage 10–90 | epochs/rounds (best) | train windows | training time (s) | inference ms/window |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  `| seasonal naive | ${f3(naive.metrics.mase)} | ${f3(naive.metrics.mae)} | ${f3(naive.metrics.rmse)} | ${(naive.metrics.smape * 100).toFixed(1)} | ${f3(naive.metrics.coverage)} | – | – | – | – |`,
  ...rows.map(
    (r) =>
      `| ${r.model} | ${f3(r.mase)} | ${f3(r.mae)} | ${f3(r.rmse)} | ${((r.smape as number) * 100).toFixed(1)} | ${f3(r.coverage)} | ${r.epochs} (${r.best}) | ${r.trainWindows} | ${r.trainSeconds} | ${r.inferenceMsPerWindow} |`,
  ),
  "",
].join("\n");
writeFileSync(`bench/results/energy${suffix}.md`, md);
console.log(md);
await closeDb();
