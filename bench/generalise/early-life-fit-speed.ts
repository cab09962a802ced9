/**
 * How long the early-life elastic-net fits take (cross-validation included) on Severson's
 * primary_train cells, single thread, and what they choose — so a change to the solver can be
 * shown to keep every choice, coefficient and test prediction while getting faster. The fits share
 * the process with nothing else, so CPU seconds are close to single-core time even when the machine is loaded.
 *
 *   eval "$(bash scripts/dev-db.sh)" && npx tsx bench/generalise/early-life-fit-speed.ts [out.json]
 *
 * Per elastic-net feature set: fit time (wall and CPU), the chosen (α, λ) and CV RMSE (of each member for the
 * ensemble), the fitted coefficients, and the predicted cycle life of every primary_test and
 * secondary_test cell with the two RMSEs. Also the longest stall of the event loop during each
 * fit (a 50 ms timer's worst lateness). Writes the JSON to `out.json` when given.
 */
import fs from "node:fs";
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { loadEarlyCells } from "../../server/services/early-life/data.js";
import { FEATURE_SETS, type FeatureSet } from "../../server/services/early-life/features.js";
import { fitEarlyModel, predictEarly, scorePredictions } from "../../server/services/early-life/model.js";
import { loadNote } from "../machine-note.js";

const N = 100;

/** Runs `fn` while a 50 ms timer measures how late it fires; returns the result and the worst lateness. */
async function withLag<T>(fn: () => Promise<T>): Promise<{ value: T; maxLagMs: number }> {
  let maxLagMs = 0;
  let expected = performance.now() + 50;
  const t = setInterval(() => {
    const now = performance.now();
    maxLagMs = Math.max(maxLagMs, now - expected);
    expected = now + 50;
  }, 50);
  try {
    const value = await fn();
    maxLagMs = Math.max(maxLagMs, performance.now() - expected);
    return { value, maxLagMs };
  } finally {
    clearInterval(t);
  }
}

async function main() {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  if (!ds) throw new Error("built-in dataset missing: run the seeds");
  const { cells } = await loadEarlyCells(0, ds.id, N);
  const bySplit = (s: string) => cells.filter((c) => c.info.seversonSplit === s);
  const train = bySplit("primary_train");
  const primary = bySplit("primary_test");
  const secondary = bySplit("secondary_test");
  const only = process.env.FEATURE_SETS?.split(",");
  const sets = (Object.keys(FEATURE_SETS) as FeatureSet[]).filter((f) => !only || only.includes(f));
  const rows = [];
  for (const featureSet of sets) {
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const { value: m, maxLagMs } = await withLag(() => fitEarlyModel(train, featureSet, "elastic_net", N));
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const p = predictEarly(m, primary);
    const s = predictEarly(m, secondary);
    const row = {
      featureSet,
      seconds: Number(seconds.toFixed(2)),
      cpuSeconds: Number(cpuSeconds.toFixed(2)),
      maxLagMs: Math.round(maxLagMs),
      cv: m.cv,
      intercept: m.linear?.intercept ?? null,
      coef: m.linear?.coef ?? null,
      primaryRmse: scorePredictions(p).rmse,
      secondaryRmse: scorePredictions(s).rmse,
      predicted: [...p, ...s].map((c) => c.predictedLife),
    };
    rows.push(row);
    const choice = m.cv?.members
      ? m.cv.members.map((c) => `${c.featureSet} ${c.l1Ratio}/${c.lambda.toExponential(3)}`).join(" + ")
      : `${m.cv?.l1Ratio}/${m.cv?.lambda?.toExponential(3)}`;
    console.log(
      `${featureSet.padEnd(10)} ${seconds.toFixed(2).padStart(7)} s (CPU ${cpuSeconds.toFixed(2)} s)  max lag ${Math.round(maxLagMs)} ms  ` +
        `choice ${choice}  CV ${m.cv?.cvRmse.toFixed(2)}  RMSE ${row.primaryRmse.toFixed(2)} / ${row.secondaryRmse.toFixed(2)}`,
    );
  }
  console.log(loadNote());
  const out = process.argv[2];
  if (out) fs.writeFileSync(out, JSON.stringify({ note: loadNote(), rows }, null, 1));
}

main()
  .catch((e) => {
    console.error(e);
    process.exitCode = 1;
  })
  .finally(() => closeDb());
