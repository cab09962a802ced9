/**
 * From a task's configuration to tensors (docs/ml.md, "Samples, window, horizon"):
 * - a sample is anchored at cycle t of one cell; per-cycle models read the features of cycle t
 *   plus the cycle number (last column); BiLSTM reads W consecutive cycles ending at t;
 * - horizon h: the target is the value at cycle t + h, and the sample exists only where that
 *   cycle exists (and where every input and the target are finite);
 * - splits: Case A/B 80/20 random train/validation over the train cells' anchors (seeded), test
 *   cell(s) held out; Case C 60/20/20 random over all anchors of the 43 primary-test cells;
 *   Severson primary_train with a validation fraction or validation cells, test primary/secondary;
 *   custom cell lists likewise. Anchors are assigned to a split once (window 1), so every
 *   algorithm of a task sees the same split (BiLSTM only loses anchors lacking W − 1 predecessors);
 * - inputs and targets are z-scored with training-set statistics (population std; 1 where 0);
 * - history-aware tasks (history.ts) add per-row columns computed from rows ≤ t only (observed
 *   PCL and trends over the history window, per-cell early-life inputs from cycle 100 on) after
 *   the features, before the cycle; anchors where a column is not yet observable have no sample.
 */
import { fieldError } from "../../trpc/errors.js";
import { listCells, loadCycles, readableDataset, type CellInfo, type LoadedCell } from "../battery/datasets.js";
import { isTargetDerived, offersFeature } from "../battery/columns.js";
import { db } from "../../../db/db.js";
import {
  EARLY_LIFE_LABELS,
  historyLeak,
  SYSTEM_SETTINGS,
  targetsOf,
  type EarlyLifeInput,
  type TaskConfig,
  type TargetChoice,
} from "../../schemas/training.js";
import { mulberry32 } from "../../ml/random.js";
import { historyColumns, historyInputNames, type HistoryOptions } from "./history.js";

/** A loaded cell with its per-cell early-life inputs (when the task asks for them). */
export type TaskCell = LoadedCell & { early?: Partial<Record<EarlyLifeInput, number>> };

type HistoryFields = Pick<TaskConfig, "historyWindow" | "historyPcl" | "historyTrends" | "earlyLife">;

/** The history a config reads; configs stored before history existed read none. */
export function historyOf(cfg: HistoryFields): HistoryOptions {
  return {
    window: cfg.historyWindow ?? 0,
    pcl: cfg.historyPcl ?? false,
    trends: cfg.historyTrends ?? false,
    early: cfg.earlyLife ?? [],
  };
}

export interface Samples {
  n: number;
  /** Raw inputs, [n, window, d] row-major (window 1 for per-cycle models); d = features + cycle. */
  x: Float32Array;
  /** Raw targets, [n, outputs]. */
  y: Float64Array;
  /** Index into `cells` of each sample (per-cell test metrics). */
  cell: Int32Array;
  /** Anchor cycle t of each sample. */
  cycle: Float64Array;
}

export interface Normalization {
  xMean: number[];
  xStd: number[];
  yMean: number[];
  yStd: number[];
}

export interface SplitSpec {
  split: TaskConfig["split"];
  trainCells: string[];
  valCells: string[];
  testCells: string[];
  /** Validation (and Case C test) taken as random fractions of anchors. */
  fractions: { train: number; val: number; test: number } | null;
  seed: number;
}

export interface TaskData {
  window: number;
  inputDim: number;
  outputs: number;
  inputNames: string[];
  targets: ("pcl" | "rul")[];
  train: Samples;
  val: Samples;
  test: Samples;
  normalization: Normalization;
  cells: string[];
  lineage: Lineage;
}

export interface Lineage {
  datasetId: number;
  datasetName: string;
  datasetSource: string;
  features: string[];
  target: TargetChoice;
  window: number;
  horizon: number;
  /** History-aware inputs (absent in lineages written before them: none). */
  history?: HistoryOptions;
  split: SplitSpec;
  counts: { train: number; val: number; test: number };
  normalization: Normalization;
  inputNames: string[];
  targetNames: string[];
}

/** Resolves the split preset to cell keys (validated against the dataset; errors name the field). */
export async function resolveSplit(
  userId: number,
  cfg: Pick<
    TaskConfig,
    | "datasetId"
    | "split"
    | "seversonTest"
    | "trainCells"
    | "testCells"
    | "valMode"
    | "valFraction"
    | "valCells"
    | "seed"
  >,
): Promise<{ spec: SplitSpec; cells: CellInfo[] }> {
  const { cells } = await listCells({ datasetId: cfg.datasetId, userId });
  const keys = new Set(cells.map((c) => c.cellKey));
  const keysWhere = (f: (c: CellInfo) => boolean) => cells.filter(f).map((c) => c.cellKey);
  let spec: SplitSpec;
  switch (cfg.split) {
    case "case_a":
    case "case_b": {
      const field = cfg.split === "case_a" ? "caseA" : "caseB";
      const train = keysWhere((c) => c[field] === "train");
      const test = keysWhere((c) => c[field] === "test");
      if (!train.length)
        throw fieldError("BAD_REQUEST", "split", "training:errors.noCaseCells", {
          split: cfg.split === "case_a" ? "Case A" : "Case B",
        });
      const v = SYSTEM_SETTINGS.caseValFraction;
      spec = {
        split: cfg.split,
        trainCells: train,
        valCells: [],
        testCells: test,
        fractions: { train: 1 - v, val: v, test: 0 },
        seed: cfg.seed,
      };
      break;
    }
    case "case_c": {
      const all = keysWhere((c) => c.seversonSplit === "primary_test");
      if (!all.length) throw fieldError("BAD_REQUEST", "split", "training:errors.noCaseC");
      const [tr, va, te] = SYSTEM_SETTINGS.caseCFractions;
      spec = {
        split: "case_c",
        trainCells: all,
        valCells: [],
        testCells: [],
        fractions: { train: tr, val: va, test: te },
        seed: cfg.seed,
      };
      break;
    }
    case "severson": {
      let train = keysWhere((c) => c.seversonSplit === "primary_train");
      if (!train.length) throw fieldError("BAD_REQUEST", "split", "training:errors.noSeverson");
      const test = keysWhere((c) =>
        cfg.seversonTest === "both"
          ? c.seversonSplit === "primary_test" || c.seversonSplit === "secondary_test"
          : c.seversonSplit === cfg.seversonTest,
      );
      let valCells: string[] = [];
      if (cfg.valMode === "cells") {
        const inTrain = new Set(train);
        const bad = cfg.valCells.filter((k) => !inTrain.has(k));
        if (bad.length)
          throw fieldError("BAD_REQUEST", "valCells", "training:errors.valNotPrimaryTrain", {
            cells: bad.slice(0, 5).join(", "),
          });
        valCells = cfg.valCells;
        const v = new Set(valCells);
        train = train.filter((k) => !v.has(k));
        if (!train.length) throw fieldError("BAD_REQUEST", "valCells", "training:errors.noTrainLeft");
      }
      spec = {
        split: "severson",
        trainCells: train,
        valCells,
        testCells: test,
        fractions: cfg.valMode === "fraction" ? { train: 1 - cfg.valFraction, val: cfg.valFraction, test: 0 } : null,
        seed: cfg.seed,
      };
      break;
    }
    case "custom": {
      for (const [field, list] of [
        ["trainCells", cfg.trainCells],
        ["valCells", cfg.valMode === "cells" ? cfg.valCells : []],
        ["testCells", cfg.testCells],
      ] as const) {
        const unknown = list.filter((k) => !keys.has(k));
        if (unknown.length)
          throw fieldError("BAD_REQUEST", field, "training:errors.unknownCells", {
            cells: unknown.slice(0, 5).join(", "),
          });
      }
      spec = {
        split: "custom",
        trainCells: [...cfg.trainCells],
        valCells: cfg.valMode === "cells" ? [...cfg.valCells] : [],
        testCells: [...cfg.testCells],
        fractions: cfg.valMode === "fraction" ? { train: 1 - cfg.valFraction, val: cfg.valFraction, test: 0 } : null,
        seed: cfg.seed,
      };
      break;
    }
  }
  return { spec, cells };
}

interface Anchor {
  cell: number; // index into loaded cells
  i: number; // row index of cycle t
  j: number; // row index of cycle t + h
}

function targetValues(c: LoadedCell, t: "pcl" | "rul"): Float64Array {
  return t === "pcl" ? c.pcl : c.rul;
}

/** Anchors of one cell with window W and horizon h (finite inputs over the window and finite targets). */
function anchorsOf(
  c: TaskCell,
  cellIdx: number,
  features: string[],
  targets: ("pcl" | "rul")[],
  window: number,
  horizon: number,
): Anchor[] {
  const n = c.cycle.length;
  const rowOk = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let ok = Number.isFinite(c.cycle[i]);
    for (const f of features) if (!Number.isFinite(c.features[f][i])) ok = false;
    rowOk[i] = ok ? 1 : 0;
  }
  const index = new Map<number, number>();
  for (let i = 0; i < n; i++) index.set(c.cycle[i], i);
  const out: Anchor[] = [];
  for (let i = window - 1; i < n; i++) {
    const t = c.cycle[i];
    // W consecutive cycles ending at t (cycles ascending, unique).
    if (c.cycle[i - window + 1] !== t - (window - 1)) continue;
    let ok = true;
    for (let k = i - window + 1; k <= i && ok; k++) if (!rowOk[k]) ok = false;
    if (!ok) continue;
    const j = horizon === 0 ? i : index.get(t + horizon);
    if (j === undefined) continue;
    if (targets.some((tg) => !Number.isFinite(targetValues(c, tg)[j]))) continue;
    out.push({ cell: cellIdx, i, j });
  }
  return out;
}

function pack(
  anchors: Anchor[],
  cells: TaskCell[],
  features: string[],
  targets: ("pcl" | "rul")[],
  window: number,
): Samples {
  const d = features.length + 1;
  const k = targets.length;
  const n = anchors.length;
  const x = new Float32Array(n * window * d);
  const y = new Float64Array(n * k);
  const cell = new Int32Array(n);
  const cycle = new Float64Array(n);
  anchors.forEach((a, s) => {
    const c = cells[a.cell];
    for (let w = 0; w < window; w++) {
      const row = a.i - window + 1 + w;
      const base = (s * window + w) * d;
      features.forEach((f, fi) => (x[base + fi] = c.features[f][row]));
      x[base + d - 1] = c.cycle[row];
    }
    targets.forEach((t, ti) => (y[s * k + ti] = targetValues(c, t)[a.j]));
    cell[s] = a.cell;
    cycle[s] = c.cycle[a.i];
  });
  return { n, x, y, cell, cycle };
}

/** Training-set statistics: per input column over every row of every train window; per target. */
export function fitNormalization(train: Samples, d: number, k: number): Normalization {
  const rows = train.x.length / d;
  const stat = (get: (r: number, j: number) => number, count: number, dim: number) => {
    const mean: number[] = [];
    const std: number[] = [];
    for (let j = 0; j < dim; j++) {
      let s = 0;
      for (let r = 0; r < count; r++) s += get(r, j);
      const m = s / count;
      let q = 0;
      for (let r = 0; r < count; r++) q += (get(r, j) - m) ** 2;
      const sd = Math.sqrt(q / count);
      mean.push(m);
      std.push(sd > 1e-12 && Number.isFinite(sd) ? sd : 1);
    }
    return { mean, std };
  };
  const x = stat((r, j) => train.x[r * d + j], rows, d);
  const y = stat((r, j) => train.y[r * k + j], train.n, k);
  return { xMean: x.mean, xStd: x.std, yMean: y.mean, yStd: y.std };
}

/** z-scored float32 copies of x ([.., d]) and y ([n, k]). */
export function normalizeX(x: Float32Array, norm: Normalization): Float32Array {
  const d = norm.xMean.length;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = (x[i] - norm.xMean[i % d]) / norm.xStd[i % d];
  return out;
}
export function normalizeY(y: Float64Array, norm: Normalization): Float32Array {
  const k = norm.yMean.length;
  const out = new Float32Array(y.length);
  for (let i = 0; i < y.length; i++) out[i] = (y[i] - norm.yMean[i % k]) / norm.yStd[i % k];
  return out;
}

export interface LoadedTaskCells {
  datasetId: number;
  datasetName: string;
  datasetSource: string;
  spec: SplitSpec;
  cells: TaskCell[];
}

/** Loads the cycles of every cell the split uses (checks dataset access and features). */
export async function loadTaskCells(userId: number, cfg: TaskConfig): Promise<LoadedTaskCells> {
  const dataset = await readableDataset(cfg.datasetId, userId);
  for (const f of cfg.features) {
    if (isTargetDerived(f))
      throw fieldError("BAD_REQUEST", "features", "training:errors.targetDerived", { feature: f });
    if (!offersFeature(dataset.features, f))
      throw fieldError("BAD_REQUEST", "features", "training:errors.unknownFeature", { feature: f });
  }
  const { spec } = await resolveSplit(userId, cfg);
  const keys = [...new Set([...spec.trainCells, ...spec.valCells, ...spec.testCells])];
  const loaded = await loadCycles({ datasetId: dataset.id, userId, cellKeys: keys, features: cfg.features });
  const early = historyOf(cfg).early;
  const cells: TaskCell[] = early.length ? await withEarlyLife(loaded.cells, early) : loaded.cells;
  return { datasetId: dataset.id, datasetName: dataset.name, datasetSource: dataset.source, spec, cells };
}

/** The cells with what a history-aware version needs beyond their cycles (early-life inputs);
 * the same cells when it reads none. Testing calls it before cellSamples. */
export async function withHistoryInputs(cells: LoadedCell[], history: HistoryOptions | undefined): Promise<TaskCell[]> {
  return history?.early.length ? withEarlyLife(cells, history.early) : cells;
}

/** Attaches the cells' ΔQ₁₀₀₋₁₀ statistics (battery_cell_early_life); refuses, naming them,
 * when some cells have none. */
async function withEarlyLife(cells: LoadedCell[], early: readonly EarlyLifeInput[]): Promise<TaskCell[]> {
  const rows: { cellId: number; dqLogVar: number; dqMin: number }[] = await db()("battery_cell_early_life")
    .whereIn(
      "cellId",
      cells.map((c) => c.cellId),
    )
    .select("cellId", "dqLogVar", "dqMin");
  const byCell = new Map(rows.map((r) => [Number(r.cellId), r]));
  const missing = cells.filter((c) => !byCell.has(c.cellId)).map((c) => c.cellKey);
  if (missing.length) {
    throw fieldError("BAD_REQUEST", "earlyLife", "training:errors.earlyLifeMissing", {
      inputs: early.map((e) => EARLY_LIFE_LABELS[e]).join(", "),
      count: missing.length,
      cells: `${missing.slice(0, 8).join(", ")}${missing.length > 8 ? ", …" : ""}`,
    });
  }
  return cells.map((c) => {
    const r = byCell.get(c.cellId)!;
    return { ...c, early: { dq_logvar: r.dqLogVar, dq_logmin: Math.log10(Math.abs(r.dqMin)) } };
  });
}

/** Cells with the history columns added as features; the input feature list grows by their names. */
function withHistory(
  cells: TaskCell[],
  features: string[],
  history: HistoryOptions,
  targets: ("pcl" | "rul")[],
  horizon: number,
): { cells: TaskCell[]; inputs: string[] } {
  const leak = historyLeak({ historyPcl: history.pcl, target: targets.length === 2 ? "both" : targets[0], horizon });
  if (leak) throw fieldError("BAD_REQUEST", "historyPcl", leak);
  const names = historyInputNames(features, history);
  if (!names.length) return { cells, inputs: features };
  const taken = names.find((n) => features.includes(n));
  if (taken) throw fieldError("BAD_REQUEST", "features", "training:errors.historyNameTaken", { name: taken });
  const out = cells.map((c) => {
    const cols = historyColumns(c, features, history);
    const extra: Record<string, Float64Array> = {};
    names.forEach((n, k) => (extra[n] = cols[k]));
    return { ...c, features: { ...c.features, ...extra } };
  });
  return { cells: out, inputs: [...features, ...names] };
}

/** Samples of every split for one window length, normalised with the train statistics. */
export function buildTaskData(
  loaded: LoadedTaskCells,
  cfg: Pick<TaskConfig, "features" | "target" | "horizon"> & HistoryFields,
  window: number,
): TaskData {
  const { spec } = loaded;
  const targets = targetsOf(cfg.target);
  const history = historyOf(cfg);
  const { cells, inputs: features } = withHistory(loaded.cells, cfg.features, history, targets, cfg.horizon);
  const role = new Map<string, "train" | "val" | "test">();
  for (const k of spec.testCells) role.set(k, "test");
  for (const k of spec.valCells) role.set(k, "val");
  for (const k of spec.trainCells) role.set(k, "train");

  // Split assignment on window-1 anchors (same for every algorithm of the task).
  const parts: Record<"train" | "val" | "test", Anchor[]> = { train: [], val: [], test: [] };
  const randomPool: Anchor[] = [];
  const perCell: Anchor[][] = cells.map((c, ci) => anchorsOf(c, ci, features, targets, 1, cfg.horizon));
  cells.forEach((c, ci) => {
    const r = role.get(c.cellKey);
    if (!r) return;
    if (r === "train" && spec.fractions) randomPool.push(...perCell[ci]);
    else parts[r].push(...perCell[ci]);
  });
  const assigned = new Map<string, "train" | "val" | "test">();
  const key = (a: Anchor) => `${a.cell}:${a.i}`;
  if (spec.fractions && randomPool.length) {
    const rng = mulberry32(spec.seed);
    const order = randomPool.map((_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rng() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    const nVal = Math.round(spec.fractions.val * order.length);
    const nTest = Math.round(spec.fractions.test * order.length);
    order.forEach((idx, pos) => {
      const r = pos < order.length - nVal - nTest ? "train" : pos < order.length - nTest ? "val" : "test";
      assigned.set(key(randomPool[idx]), r);
    });
  }
  for (const r of ["train", "val", "test"] as const) for (const a of parts[r]) assigned.set(key(a), r);

  // Anchors for this window (a subset of the window-1 anchors), in cell/cycle order.
  const final: Record<"train" | "val" | "test", Anchor[]> = { train: [], val: [], test: [] };
  cells.forEach((c, ci) => {
    const list = window === 1 ? perCell[ci] : anchorsOf(c, ci, features, targets, window, cfg.horizon);
    for (const a of list) {
      const r = assigned.get(key(a));
      if (r) final[r].push(a);
    }
  });
  const d = features.length + 1;
  const k = targets.length;
  const train = pack(final.train, cells, features, targets, window);
  const val = pack(final.val, cells, features, targets, window);
  const test = pack(final.test, cells, features, targets, window);
  if (!train.n) {
    const trainCells = cells.filter((c) => role.get(c.cellKey) === "train");
    const noTarget = targets.find((t) => !trainCells.some((c) => targetValues(c, t).some(Number.isFinite)));
    if (noTarget)
      throw fieldError("BAD_REQUEST", "target", "training:errors.noTargetValues", { target: noTarget.toUpperCase() });
    throw fieldError("BAD_REQUEST", "features", "training:errors.noTrainSamples");
  }
  if (!val.n) throw fieldError("BAD_REQUEST", "valCells", "training:errors.noValSamples");
  const normalization = fitNormalization(train, d, k);
  const inputNames = [...features, "cycle"];
  return {
    window,
    inputDim: d,
    outputs: k,
    inputNames,
    targets,
    train,
    val,
    test,
    normalization,
    cells: cells.map((c) => c.cellKey),
    lineage: {
      datasetId: loaded.datasetId,
      datasetName: loaded.datasetName,
      datasetSource: loaded.datasetSource,
      features: cfg.features,
      target: cfg.target,
      window,
      horizon: cfg.horizon,
      history,
      split: spec,
      counts: { train: train.n, val: val.n, test: test.n },
      normalization,
      inputNames,
      targetNames: targets,
    },
  };
}

/**
 * Samples of whole cells in cell/cycle order (testing): the same anchors and packing as
 * training (window, horizon, finite inputs and targets), with no split. `cell` indexes `cells`.
 */
export function cellSamples(
  cells: TaskCell[],
  features: string[],
  targets: ("pcl" | "rul")[],
  window: number,
  horizon: number,
  history?: HistoryOptions,
): Samples {
  const h = history ? withHistory(cells, features, history, targets, horizon) : { cells, inputs: features };
  const anchors = h.cells.flatMap((c, ci) => anchorsOf(c, ci, h.inputs, targets, window, horizon));
  return pack(anchors, h.cells, h.inputs, targets, window);
}
