/**
 * Exploration for history-aware prognosis (issue #22): reads the seed files directly, builds the
 * history columns of server/services/training/history.ts, trains small MLPs through the addon and
 * scores them on VALIDATION cells only (primary_train split into fit / validation cells: every
 * fourth primary_train cell by index is a validation cell). Test cells are never loaded here.
 *
 *   nice -n 10 npx tsx bench/generalise/prognosis-explore.ts            # default grid
 *   CONFIGS='rul:w50:pcl:trend:early' EPOCHS=100 npx tsx bench/generalise/prognosis-explore.ts
 *
 * Config notation: target (rul | pcl@h), w<W> history window, pcl (observed PCL + trend),
 * trend (feature trends), x<W2> a second observed-PCL trend window, early (ΔQ log var and log |min|), s<σ> input noise, e<epochs>,
 * f<features comma list without spaces, default the three smoothed>, el (the early-life default
 * model's log10 cycle-life estimate from cycles ≤ 100, an input from cycle 100 on: fitted on the
 * fit cells, out-of-fold for them; needs the dev database).
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { parse } from "csv-parse/sync";
import { predict, train } from "../../native/index.js";
import { rmse, rmspeSoh } from "../../server/ml/metrics.js";
import type { EarlyLifeInput } from "../../server/schemas/training.js";
import { deltaQStats, historyColumns, type HistoryCell } from "../../server/services/training/history.js";
import { closeDb, db } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { EARLY_LIFE_DEFAULTS } from "../../server/schemas/early-life.js";
import { loadEarlyCells } from "../../server/services/early-life/data.js";
import { fitEarlyModel, outOfFoldLogLife, predictEarly } from "../../server/services/early-life/model.js";

const DIR = "seeds/data/battery";
const read = (name: string) =>
  parse(zlib.gunzipSync(fs.readFileSync(path.join(DIR, name))), { columns: true, cast: true }) as Record<
    string,
    number | string
  >[];

interface Cell extends HistoryCell {
  index: number;
  split: string;
  rul: Float64Array;
  life: number;
  /** The early-life estimate of log10 cycle life (option el). */
  elLog?: number;
}

export function loadSeedCells(wanted: (split: string, index: number) => boolean): Cell[] {
  const info = read("severson124_cells.csv.gz").filter((r) => wanted(String(r.severson_split), Number(r.cell_index)));
  const keep = new Map(info.map((r) => [Number(r.cell_index), r]));
  const rows = new Map<number, Record<string, number | string>[]>();
  for (const r of read("severson124_cycles.csv.gz")) {
    const c = Number(r.cell_index);
    if (!keep.has(c)) continue;
    if (!rows.has(c)) rows.set(c, []);
    rows.get(c)!.push(r);
  }
  const dq = new Map<number, Record<EarlyLifeInput, number>>();
  const dqText = zlib
    .gunzipSync(fs.readFileSync(path.join(DIR, "severson124_delta_q_100_10.csv.gz")))
    .toString()
    .trim()
    .split("\n")
    .slice(1);
  for (const line of dqText) {
    const v = line.split(",").map(Number);
    if (keep.has(v[0])) dq.set(v[0], deltaQStats(v.slice(1)));
  }
  return [...keep.keys()]
    .sort((a, b) => a - b)
    .map((c) => {
      const rs = rows.get(c)!.sort((a, b) => Number(a.cycle) - Number(b.cycle));
      const col = (k: string) => Float64Array.from(rs, (r) => (r[k] === "" ? NaN : Number(r[k])));
      return {
        index: c,
        split: String(keep.get(c)!.severson_split),
        life: Number(keep.get(c)!.cycle_life),
        cycle: col("cycle"),
        pcl: col("pcl"),
        rul: col("rul"),
        features: { kong_slope: col("kong_slope"), kong_intercept: col("kong_intercept"), tavg_c: col("tavg_c") },
        early: dq.get(c),
      };
    });
}

interface Cfg {
  name: string;
  target: "rul" | "pcl";
  horizon: number;
  window: number;
  pcl: boolean;
  trends: boolean;
  early: EarlyLifeInput[];
  noise: number;
  epochs: number;
  features: string[];
  minCycle: number;
  layers: number;
  width: number;
  /** Extra observed-PCL trend windows (curvature: a second time scale). */
  extraWindows: number[];
  el: boolean;
}

function parseCfg(s: string): Cfg {
  const parts = s.split(":");
  const [tg, h] = parts[0].split("@");
  const c: Cfg = {
    name: s,
    target: tg as "rul" | "pcl",
    horizon: Number(h ?? 0),
    window: 0,
    pcl: false,
    trends: false,
    early: [],
    noise: 0.2,
    epochs: Number(process.env.EPOCHS ?? 60),
    features: ["kong_slope", "kong_intercept", "tavg_c"],
    minCycle: 100,
    layers: 2,
    width: 128,
    extraWindows: [],
    el: false,
  };
  for (const p of parts.slice(1)) {
    if (p.startsWith("w")) c.window = Number(p.slice(1));
    else if (p.startsWith("x")) c.extraWindows.push(Number(p.slice(1)));
    else if (p === "pcl") c.pcl = true;
    else if (p === "trend") c.trends = true;
    else if (p === "early") c.early = ["dq_logvar", "dq_logmin"];
    else if (p === "earlyvar") c.early = ["dq_logvar"];
    else if (p === "el") c.el = true;
    else if (p.startsWith("s")) c.noise = Number(p.slice(1));
    else if (p.startsWith("e")) c.epochs = Number(p.slice(1));
    else if (p.startsWith("f")) c.features = p.slice(1) ? p.slice(1).split(",") : [];
    else if (p.startsWith("min")) c.minCycle = Number(p.slice(3));
    else if (p.startsWith("L")) c.layers = Number(p.slice(1));
    else if (p.startsWith("W")) c.width = Number(p.slice(1));
    else throw new Error(`unknown part ${p}`);
  }
  return c;
}

interface Set {
  x: number[][];
  y: number[];
  cell: number[];
  t: number[];
  pclNow: number[];
}

function samples(cells: Cell[], c: Cfg): Set {
  const out: Set = { x: [], y: [], cell: [], t: [], pclNow: [] };
  const opts = { window: c.window, pcl: c.pcl, trends: c.trends, early: c.early };
  for (const cell of cells) {
    const hist = historyColumns(cell, c.features, opts);
    for (const w of c.extraWindows)
      hist.push(historyColumns(cell, [], { window: w, pcl: true, trends: false, early: [] })[1]);
    if (c.el) hist.push(Float64Array.from(cell.cycle, (t) => (t >= 100 ? cell.elLog! : NaN)));
    const rowOf = new Map<number, number>();
    cell.cycle.forEach((t, i) => rowOf.set(t, i));
    for (let i = 0; i < cell.cycle.length; i++) {
      const t = cell.cycle[i];
      if (t < c.minCycle) continue;
      const j = c.horizon ? rowOf.get(t + c.horizon) : i;
      if (j === undefined) continue;
      const y = c.target === "rul" ? cell.rul[i] : cell.pcl[j];
      const x = [...c.features.map((f) => cell.features[f][i]), ...hist.map((h) => h[i]), t];
      if (!Number.isFinite(y) || x.some((v) => !Number.isFinite(v))) continue;
      out.x.push(x);
      out.y.push(y);
      out.cell.push(cell.index);
      out.t.push(t);
      out.pclNow.push(cell.pcl[i]);
    }
  }
  return out;
}

function stats(rows: number[][]) {
  const d = rows[0].length;
  const mean = new Array(d).fill(0);
  const std = new Array(d).fill(0);
  for (const r of rows) r.forEach((v, j) => (mean[j] += v / rows.length));
  for (const r of rows) r.forEach((v, j) => (std[j] += (v - mean[j]) ** 2 / rows.length));
  return { mean, std: std.map((s) => (s > 1e-24 ? Math.sqrt(s) : 1)) };
}

async function fitPredict(c: Cfg, tr: Set, va: Set, te: Set[], seed: number) {
  const xs = stats(tr.x);
  const ys = stats(tr.y.map((v) => [v]));
  const d = tr.x[0].length;
  const z = (s: Set) => Float32Array.from(s.x.flatMap((r) => r.map((v, j) => (v - xs.mean[j]) / xs.std[j])));
  const zy = (s: Set) => Float32Array.from(s.y, (v) => (v - ys.mean[0]) / ys.std[0]);
  const model = { kind: "baseline" as const, inputDim: d, outputs: 1, hiddenLayers: c.layers, hiddenWidth: c.width };
  const res = await train({
    model,
    xTrain: { data: z(tr), shape: [tr.y.length, d] },
    yTrain: { data: zy(tr), shape: [tr.y.length, 1] },
    xVal: { data: z(va), shape: [va.y.length, d] },
    yVal: { data: zy(va), shape: [va.y.length, 1] },
    epochs: c.epochs,
    batchSize: 1024,
    learningRate: 1e-3,
    inputNoise: c.noise,
    seed,
    threads: 1,
  }).promise;
  const norm = { xMean: xs.mean, xStd: xs.std, yMean: ys.mean, yStd: ys.std };
  const pr = (s: Set) =>
    Array.from(
      predict(
        model,
        res.weights,
        { data: Float32Array.from(s.x.flat()), shape: [s.y.length, d] },
        { normalization: norm },
      ).data,
    );
  return { bestEpoch: res.bestEpoch, preds: [va, ...te].map(pr) };
}

function score(c: Cfg, s: Set, pred: number[]) {
  return c.target === "rul" ? rmse(pred, s.y) : 100 * rmspeSoh(pred, s.y);
}

/** Trivial baselines on `s` from the train cells: mean-at-cycle (RUL: mean life − t) and persistence. */
export function trivial(c: Cfg, train: Cell[], s: Set) {
  if (c.target === "rul") {
    const life = train.reduce((a, x) => a + x.life, 0) / train.length;
    return {
      mean: rmse(
        s.t.map((t) => life - t),
        s.y,
      ),
    };
  }
  const at = (t: number) => {
    const vs = train.map((x) => x.pcl[x.cycle.indexOf(t)]).filter((v) => v !== undefined && Number.isFinite(v));
    return vs.length ? vs.reduce((a, b) => a + b, 0) / vs.length : NaN;
  };
  const cache = new Map<number, number>();
  const meanPred = s.t.map((t) => {
    const k = t + c.horizon;
    if (!cache.has(k)) cache.set(k, at(k));
    return cache.get(k)!;
  });
  const okMean = meanPred.map((v, i) => [v, s.y[i]]).filter(([v]) => Number.isFinite(v));
  return {
    mean:
      100 *
      rmspeSoh(
        okMean.map((r) => r[0]),
        okMean.map((r) => r[1]),
      ),
    persistence: c.horizon > 0 ? 100 * rmspeSoh(s.pclNow, s.y) : NaN,
  };
}

/** The early-life default fitted on the fit cells: out-of-fold values for them, predictions for the validation cells. */
async function attachEstimates(fit: Cell[], val: Cell[]) {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  const { cells } = await loadEarlyCells(0, ds!.id, 100);
  const byKey = new Map(cells.map((e) => [e.key, e]));
  const pick = (cs: Cell[]) => cs.map((c) => byKey.get(String(c.index))!);
  const m = await fitEarlyModel(pick(fit), EARLY_LIFE_DEFAULTS.featureSet, EARLY_LIFE_DEFAULTS.model, 100);
  const oof = await outOfFoldLogLife(pick(fit), m.members ?? [m]);
  fit.forEach((c, i) => (c.elLog = oof[i]));
  predictEarly(m, pick(val)).forEach((p, i) => (val[i].elLog = Math.log10(p.predictedLife)));
}

async function main() {
  const all = loadSeedCells((split) => split === "primary_train");
  // VAL=cells (default): every fourth primary_train cell validates; VAL=batch: two folds, fit on
  // one batch's primary_train cells and validate on the other's (a shift like the secondary test's).
  const batch = (c: Cell) => (c.index <= 41 ? 1 : 2);
  const folds: [Cell[], Cell[]][] =
    process.env.VAL === "batch"
      ? [
          [all.filter((c) => batch(c) === 1), all.filter((c) => batch(c) === 2)],
          [all.filter((c) => batch(c) === 2), all.filter((c) => batch(c) === 1)],
        ]
      : [[all.filter((_, i) => i % 4 !== 3), all.filter((_, i) => i % 4 === 3)]];
  console.log(
    `validation ${process.env.VAL ?? "cells"}: ${folds.map(([f, v]) => `${f.length} fit / ${v.length} val`).join("; ")}`,
  );
  const configs = (process.env.CONFIGS ?? "rul:w0,rul:w50:pcl,rul:w50:pcl:early,rul:w0:early").split(",");
  const seeds = Number(process.env.SEEDS ?? 1);
  for (const s of configs) {
    const c = parseCfg(s);
    const t0 = Date.now();
    const perFold: string[] = [];
    for (const [fit, val] of folds) {
      if (c.el) await attachEstimates(fit, val);
      const tr = samples(fit, c);
      const va = samples(val, c);
      const scores: number[] = [];
      for (let r = 0; r < seeds; r++) {
        const { preds } = await fitPredict(c, tr, va, [], 42 + r);
        scores.push(score(c, va, preds[0]));
      }
      const tv = trivial(c, fit, va);
      const dp = c.target === "rul" ? 1 : 3;
      perFold.push(
        `${scores.map((v) => v.toFixed(dp)).join(" ")} (mean ${tv.mean.toFixed(dp)}${c.horizon ? ` persist ${tv.persistence!.toFixed(dp)}` : ""})`,
      );
    }
    console.log(`${s.padEnd(34)} ${perFold.join(" | ")} ${((Date.now() - t0) / 1000).toFixed(0)}s`);
  }
  await closeDb();
}

if (import.meta.url === `file://${process.argv[1]}` || process.argv[1]?.endsWith("prognosis-explore.ts")) {
  main().catch((e) => {
    console.error(e);
    process.exit(1);
  });
}
