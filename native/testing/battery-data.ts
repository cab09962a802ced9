/**
 * Small, dependency-light access to the built-in Severson cycles file for the
 * addon's tests, the ONNX parity test and the benchmarks (no database needed).
 * Reads the repository's own copy under seeds/data/battery (the product carries its data).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";

import type { FloatTensor, Normalization } from "../index.js";
import { mulberry32 } from "../../server/ml/random.js";

export const CYCLES_FILE = fileURLToPath(
  new URL("../../seeds/data/battery/severson124_cycles.csv.gz", import.meta.url),
);

/** Input features in column order; the cycle number is appended as the LAST column. */
export const FEATURES = ["kong_slope", "kong_intercept", "tavg_c"] as const;

export interface CycleRow {
  cell: number;
  cycle: number;
  rul: number;
  pcl: number;
  features: number[];
}

let allRows: CycleRow[] | undefined;

/** Rows of the given cells, ordered by cell then cycle. */
export function readCycles(cells: number[]): CycleRow[] {
  if (!allRows) {
    const records = parse(gunzipSync(readFileSync(CYCLES_FILE)), { columns: true }) as Record<string, string>[];
    allRows = records.map((r) => ({
      cell: Number(r.cell_index),
      cycle: Number(r.cycle),
      rul: Number(r.rul),
      pcl: Number(r.pcl),
      features: FEATURES.map((f) => Number(r[f])),
    }));
  }
  const wanted = new Set(cells);
  return allRows.filter((r) => wanted.has(r.cell));
}

export type Target = "pcl" | "rul" | "both";

export function targets(row: CycleRow, target: Target): number[] {
  return target === "pcl" ? [row.pcl] : target === "rul" ? [row.rul] : [row.pcl, row.rul];
}

/** One sample: a window of input rows (length 1 for per-cycle models) and its target row. */
export interface Sample {
  inputs: number[][]; // [window][inputDim], raw units
  target: number[]; // raw units
  cell: number;
}

/** Samples of one cell's rows (ordered by cycle): windows of W consecutive cycles, horizon 0. */
export function samples(rows: CycleRow[], window: number, target: Target): Sample[] {
  const out: Sample[] = [];
  for (let i = window - 1; i < rows.length; i++) {
    const first = rows[i - window + 1];
    if (first.cell !== rows[i].cell || rows[i].cycle - first.cycle !== window - 1) continue;
    const inputs = [];
    for (let k = i - window + 1; k <= i; k++) inputs.push([...rows[k].features, rows[k].cycle]);
    out.push({ inputs, target: targets(rows[i], target), cell: rows[i].cell });
  }
  return out;
}

/** Random split (Fisher–Yates with mulberry32) into the given fractions. */
export function randomSplit<T>(items: T[], fractions: number[], seed: number): T[][] {
  const rng = mulberry32(seed);
  const order = items.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const parts: T[][] = [];
  let from = 0;
  fractions.forEach((f, k) => {
    const to = k === fractions.length - 1 ? order.length : from + Math.round(f * order.length);
    parts.push(order.slice(from, to).map((i) => items[i]));
    from = to;
  });
  return parts;
}

/** Training-set mean and population std per input column and per target. */
export function fitNormalization(train: Sample[]): Normalization & {
  xMean: number[];
  xStd: number[];
  yMean: number[];
  yStd: number[];
} {
  const stats = (values: (s: Sample) => number[][]) => {
    const dim = values(train[0])[0].length;
    const sum = new Float64Array(dim);
    const sq = new Float64Array(dim);
    let n = 0;
    for (const s of train) {
      for (const v of values(s)) {
        for (let j = 0; j < dim; j++) {
          sum[j] += v[j];
          sq[j] += v[j] * v[j];
        }
        n++;
      }
    }
    const mean = Array.from(sum, (s) => s / n);
    const std = Array.from(sq, (q, j) => Math.sqrt(Math.max(q / n - mean[j] ** 2, 0)) || 1);
    return { mean, std };
  };
  const x = stats((s) => s.inputs);
  const y = stats((s) => [s.target]);
  return { xMean: x.mean, xStd: x.std, yMean: y.mean, yStd: y.std };
}

/** Packs samples into x ([n, d] or [n, W, d]) and y ([n, outputs]), raw or z-scored. */
export function pack(
  items: Sample[],
  options: { sequence: boolean; normalization?: ReturnType<typeof fitNormalization> },
): { x: FloatTensor; y: FloatTensor } {
  const n = items.length;
  const w = items[0].inputs.length;
  const d = items[0].inputs[0].length;
  const k = items[0].target.length;
  const norm = options.normalization;
  const x = new Float32Array(n * w * d);
  const y = new Float32Array(n * k);
  items.forEach((s, i) => {
    s.inputs.forEach((row, t) =>
      row.forEach((v, j) => {
        x[(i * w + t) * d + j] = norm ? (v - norm.xMean[j]) / norm.xStd[j] : v;
      }),
    );
    s.target.forEach((v, j) => {
      y[i * k + j] = norm ? (v - norm.yMean[j]) / norm.yStd[j] : v;
    });
  });
  return {
    x: { data: x, shape: options.sequence ? [n, w, d] : [n, d] },
    y: { data: y, shape: [n, k] },
  };
}

/**
 * Wen's Case A: cells 91 and 100, their samples split 80/20 at random into
 * train/validation; test cell 124. Normalisation fitted on the training samples.
 */
export function caseA(options: { target?: Target; window?: number; splitSeed?: number } = {}) {
  const target = options.target ?? "pcl";
  const window = options.window ?? 1;
  const sequence = window > 1;
  const trainCells = [91, 100];
  const rows = readCycles([...trainCells, 124]);
  const pool = trainCells.flatMap((c) =>
    samples(
      rows.filter((r) => r.cell === c),
      window,
      target,
    ),
  );
  const test = samples(
    rows.filter((r) => r.cell === 124),
    window,
    target,
  );
  const [train, val] = randomSplit(pool, [0.8, 0.2], options.splitSeed ?? 1);
  const normalization = fitNormalization(train);
  const z = { sequence, normalization };
  return {
    normalization,
    inputDim: FEATURES.length + 1,
    outputs: train[0].target.length,
    train: pack(train, z),
    val: pack(val, z),
    test: pack(test, z),
    raw: { train: pack(train, { sequence }), val: pack(val, { sequence }), test: pack(test, { sequence }) },
  };
}
