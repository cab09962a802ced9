/**
 * Exploration for the early-life default (issue #22): scores candidate feature sets and models by
 * nested leave-one-cell-out cross-validation on primary_train ONLY (the outer fold's cell is never
 * seen by the inner choice of α and λ). Test cells are not loaded.
 *
 *   eval "$(bash scripts/dev-db.sh)" && nice -n 10 npx tsx bench/generalise/early-life-explore.ts
 */
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { loadEarlyCells } from "../../server/services/early-life/data.js";
import { cvElasticNet, fitElasticNet, predict } from "../../server/services/early-life/elastic-net.js";
import { featureMatrix } from "../../server/services/early-life/features.js";
import { L1_RATIOS } from "../../server/services/early-life/model.js";

const CANDIDATES: Record<string, string[]> = JSON.parse(process.env.CANDIDATES ?? "{}");

async function main() {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  const { cells } = await loadEarlyCells(0, ds!.id, 100);
  const train = cells.filter((c) => c.info.seversonSplit === "primary_train");
  const y = train.map((c) => Math.log10(c.cycleLife!));
  const life = train.map((c) => c.cycleLife!);
  const loss = (p: number, t: number) => (10 ** p - 10 ** t) ** 2;
  const oof: Record<string, number[]> = {};
  for (const [name, keys] of Object.entries(CANDIDATES)) {
    const x = featureMatrix(train, keys, 100);
    const bad = x.findIndex((r) => r.some((v) => !Number.isFinite(v)));
    if (bad >= 0) {
      console.log(`${name}: cell ${train[bad].key} lacks a value`);
      continue;
    }
    const full = cvElasticNet(x, y, { l1Ratios: L1_RATIOS, loss });
    // Out-of-fold predictions at the chosen (α, λ) (NESTED=1: α and λ chosen again inside each fold).
    const pred = x.map((_, i) => {
      const keep = x.map((_, k) => k).filter((k) => k !== i);
      const kx = keep.map((k) => x[k]);
      const ky = keep.map((k) => y[k]);
      const m = process.env.NESTED
        ? cvElasticNet(kx, ky, { l1Ratios: L1_RATIOS, loss }).model
        : fitElasticNet(kx, ky, { l1Ratio: full.l1Ratio, lambda: full.lambda });
      return predict(m, [x[i]])[0];
    });
    oof[name] = pred;
    const r = Math.sqrt(pred.reduce((a, p, i) => a + (10 ** p - life[i]) ** 2, 0) / pred.length);
    console.log(
      `${name}: LOO RMSE ${r.toFixed(1)} (selection CV ${Math.sqrt(full.cvLoss).toFixed(1)}, α ${full.l1Ratio})`,
    );
  }
  const names = Object.keys(oof);
  const rm = (p: number[]) => Math.sqrt(p.reduce((s, q, i) => s + (10 ** q - life[i]) ** 2, 0) / p.length);
  for (const group of JSON.parse(process.env.ENSEMBLES ?? "[]") as string[][]) {
    const p = life.map((_, i) => group.reduce((a, g) => a + oof[g][i], 0) / group.length);
    console.log(`avg(${group.join(", ")}): ${rm(p).toFixed(1)}`);
  }
  for (let a = 0; a < names.length; a++)
    for (let b = a + 1; b < names.length; b++) {
      const p = oof[names[a]].map((v, i) => (v + oof[names[b]][i]) / 2);
      const r = Math.sqrt(p.reduce((s, q, i) => s + (10 ** q - life[i]) ** 2, 0) / p.length);
      console.log(`avg(${names[a]}, ${names[b]}): ${r.toFixed(1)}`);
    }
  await closeDb();
}
main();
