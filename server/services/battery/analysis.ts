/**
 * Statistics, correlations and trends over chosen cells. Every number is computed on the full
 * data; only the series returned for drawing are downsampled (LTTB).
 */
import { userError } from "../../trpc/errors.js";
import * as ss from "simple-statistics";
import { loadCycles, readableDataset, type LoadedCell } from "./datasets.js";
import { featureInfo, offersFeature } from "./columns.js";
import { lttbIndices } from "../../lib/downsample.js";
import { sortAndRank } from "./argsort.js";

type Arr = number[]; // simple-statistics is typed for arrays; it only indexes, so typed arrays work too.
const asArr = (a: Float64Array) => a as unknown as Arr;

export interface VariableStats {
  key: string;
  label: string;
  unit: string;
  count: number;
  missing: number;
  mean: number | null;
  variance: number | null;
  std: number | null;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
  histogram: { from: number; to: number; count: number }[];
}

const TARGET_INFO: Record<string, { label: string; unit: string }> = {
  rul: { label: "RUL", unit: "cycles" },
  pcl: { label: "PCL", unit: "fraction" },
};

function info(key: string) {
  return TARGET_INFO[key] ?? featureInfo(key);
}

function finiteOnly(a: Float64Array): Float64Array {
  let n = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) n++;
  if (n === a.length) return a;
  const out = new Float64Array(n);
  let j = 0;
  for (let i = 0; i < a.length; i++) if (Number.isFinite(a[i])) out[j++] = a[i];
  return out;
}

function describe(key: string, all: Float64Array, bins: number, sorted: Float64Array): VariableStats {
  const { label, unit } = info(key);
  const count = sorted.length;
  const base = { key, label, unit, count, missing: all.length - count };
  if (count === 0) {
    return {
      ...base,
      mean: null,
      variance: null,
      std: null,
      min: null,
      q1: null,
      median: null,
      q3: null,
      max: null,
      histogram: [],
    };
  }
  const s = asArr(sorted);
  const variance = count > 1 ? ss.sampleVariance(s) : 0;
  const min = sorted[0];
  const max = sorted[count - 1];
  const width = (max - min) / bins || 1;
  const counts = new Array<number>(max > min ? bins : 1).fill(0);
  for (let i = 0; i < count; i++) counts[Math.min(counts.length - 1, Math.floor((sorted[i] - min) / width))]++;
  return {
    ...base,
    mean: ss.mean(s),
    variance,
    std: Math.sqrt(variance),
    min,
    q1: ss.quantileSorted(s, 0.25),
    median: ss.quantileSorted(s, 0.5),
    q3: ss.quantileSorted(s, 0.75),
    max,
    histogram: counts.map((c, i) => ({ from: min + i * width, to: max > min ? min + (i + 1) * width : max, count: c })),
  };
}

function fnv(mask: Uint8Array): string {
  let h = 0x811c9dc5;
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    if (mask[i]) {
      h = Math.imul(h ^ i, 0x01000193);
      n++;
    }
  }
  return `${n}:${h >>> 0}`;
}

/** z-scores with simple-statistics' mean and sample standard deviation; null when constant. */
function standardise(x: Float64Array): Float64Array | null {
  if (x.length < 3) return null;
  const m = ss.mean(asArr(x));
  const sd = ss.sampleStandardDeviation(asArr(x));
  if (!(sd > 0)) return null;
  const z = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) z[i] = (x[i] - m) / sd;
  return z;
}

/** Pearson's r of two standardised series: Σ zx·zy / (n − 1), one pass. */
function dot(zx: Float64Array | null, zy: Float64Array | null): number | null {
  if (!zx || !zy) return null;
  let s = 0;
  for (let i = 0; i < zx.length; i++) s += zx[i] * zy[i];
  const r = s / (zx.length - 1);
  return Number.isFinite(r) ? Math.max(-1, Math.min(1, r)) : null;
}

export interface CorrelationResult {
  variables: string[];
  labels: string[];
  pearson: (number | null)[][];
  spearman: (number | null)[][];
  n: number[][];
}

/**
 * Pearson and Spearman over pairwise-complete rows. Each variable is standardised (values and
 * mid-ranks) once per distinct set of complete rows, so each matrix entry is one dot product.
 * `ranksOwn[v]` are the mid-ranks of v's finite values (computed with the statistics' sort).
 */
function correlations(keys: string[], cols: Float64Array[], ranksOwn: Float64Array[]): CorrelationResult {
  const k = keys.length;
  const N = cols[0]?.length ?? 0;
  const masks = cols.map((c) => {
    const m = new Uint8Array(N);
    for (let i = 0; i < N; i++) m[i] = Number.isFinite(c[i]) ? 1 : 0;
    return m;
  });
  const maskId = masks.map(fnv);
  const counts = maskId.map((id) => Number(id.split(":")[0]));
  const zCache = new Map<string, { z: Float64Array | null; zr: Float64Array | null }>();
  const standardised = (v: number, joint: Uint8Array, key: string) => {
    const ck = `${v}|${key}`;
    let e = zCache.get(ck);
    if (!e) {
      const own = key === maskId[v];
      let x: Float64Array;
      if (own && counts[v] === N) x = cols[v];
      else {
        let n = 0;
        for (let i = 0; i < N; i++) n += joint[i];
        x = new Float64Array(n);
        let j = 0;
        for (let i = 0; i < N; i++) if (joint[i]) x[j++] = cols[v][i];
      }
      const ranks = own ? ranksOwn[v] : sortAndRank(x).ranks;
      e = { z: standardise(x), zr: standardise(ranks) };
      zCache.set(ck, e);
    }
    return e;
  };
  const empty = () => Array.from({ length: k }, () => new Array<number | null>(k).fill(null));
  const pearson = empty();
  const spearman = empty();
  const n = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  // Variables sharing a set of complete rows share a group; each pair of groups is intersected once.
  const jointCache = new Map<string, { joint: Uint8Array; key: string; cnt: number }>();
  const jointOf = (a: number, b: number) => {
    if (maskId[a] === maskId[b]) return { joint: masks[a], key: maskId[a], cnt: counts[a] };
    const ck = maskId[a] < maskId[b] ? `${maskId[a]}&${maskId[b]}` : `${maskId[b]}&${maskId[a]}`;
    let e = jointCache.get(ck);
    if (!e) {
      const joint = new Uint8Array(N);
      let cnt = 0;
      for (let i = 0; i < N; i++) cnt += joint[i] = masks[a][i] & masks[b][i];
      e = { joint, cnt, key: cnt === counts[a] ? maskId[a] : cnt === counts[b] ? maskId[b] : fnv(joint) };
      jointCache.set(ck, e);
    }
    return e;
  };
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      const { joint, key, cnt } = jointOf(a, b);
      n[a][b] = n[b][a] = cnt;
      if (cnt < 3) continue;
      const x = standardised(a, joint, key);
      const y = a === b ? x : standardised(b, joint, key);
      pearson[a][b] = pearson[b][a] = a === b ? (x.z ? 1 : null) : dot(x.z, y.z);
      spearman[a][b] = spearman[b][a] = a === b ? (x.zr ? 1 : null) : dot(x.zr, y.zr);
    }
  }
  return { variables: keys, labels: keys.map((key) => info(key).label), pearson, spearman, n };
}

function concat(cells: LoadedCell[], pick: (c: LoadedCell) => Float64Array): Float64Array {
  const total = cells.reduce((s, c) => s + c.cycle.length, 0);
  const out = new Float64Array(total);
  let off = 0;
  for (const c of cells) {
    out.set(pick(c), off);
    off += c.cycle.length;
  }
  return out;
}

export interface AnalysisInput {
  datasetId: number;
  userId: number;
  cellIds: number[];
  features?: string[];
  bins?: number;
}

export async function analyse(input: AnalysisInput) {
  const dataset = await readableDataset(input.datasetId, input.userId);
  const features = input.features?.length ? input.features : dataset.features;
  const loaded = await loadCycles({ datasetId: dataset.id, userId: input.userId, cellIds: input.cellIds, features });
  const keys = [...features, "rul", "pcl"];
  const cols = keys.map((key) =>
    concat(loaded.cells, (c) => (key === "rul" ? c.rul : key === "pcl" ? c.pcl : c.features[key])),
  );
  const bins = input.bins ?? 30;
  const ranked = cols.map((c) => sortAndRank(finiteOnly(c)));
  const statistics = keys.map((key, i) => describe(key, cols[i], bins, ranked[i].sorted));
  const matrix = correlations(
    keys,
    cols,
    ranked.map((r) => r.ranks),
  );
  const rulIdx = keys.indexOf("rul");
  const pclIdx = keys.indexOf("pcl");
  const withTargets = features.map((f, i) => ({
    feature: f,
    label: info(f).label,
    nRul: matrix.n[i][rulIdx],
    nPcl: matrix.n[i][pclIdx],
    pearsonRul: matrix.pearson[i][rulIdx],
    spearmanRul: matrix.spearman[i][rulIdx],
    pearsonPcl: matrix.pearson[i][pclIdx],
    spearmanPcl: matrix.spearman[i][pclIdx],
  }));
  return {
    datasetId: dataset.id,
    cellCount: loaded.cells.length,
    rowCount: cols[0]?.length ?? 0,
    features,
    statistics,
    correlations: { withTargets, matrix },
  };
}

function series(c: LoadedCell, variable: string): Float64Array {
  if (variable === "pcl") return c.pcl;
  if (variable === "rul") return c.rul;
  if (variable === "soh") return c.pcl.map((v) => 1 - v);
  return c.features[variable];
}

/** Least-squares slope of PCL vs cycle, as percentage points of capacity per 100 cycles. */
function degradationRate(c: LoadedCell) {
  const pts: [number, number][] = [];
  for (let i = 0; i < c.cycle.length; i++) if (Number.isFinite(c.pcl[i])) pts.push([c.cycle[i], c.pcl[i]]);
  if (pts.length < 2) return { ratePctPer100: null, r2: null, n: pts.length };
  const line = ss.linearRegression(pts);
  const r2 = ss.rSquared(pts, ss.linearRegressionLine(line));
  return { ratePctPer100: line.m * 100 * 100, r2: Number.isFinite(r2) ? r2 : null, n: pts.length };
}

export interface TrendsInput {
  datasetId: number;
  userId: number;
  cellIds: number[];
  variable: string;
  maxPoints?: number;
  maxLines?: number;
}

export async function trends(input: TrendsInput) {
  const dataset = await readableDataset(input.datasetId, input.userId);
  const isTarget = ["pcl", "soh", "rul"].includes(input.variable);
  if (!isTarget && !offersFeature(dataset.features, input.variable)) {
    throw userError("BAD_REQUEST", "battery:errors.unknownVariable", { variable: input.variable });
  }
  const loaded = await loadCycles({
    datasetId: dataset.id,
    userId: input.userId,
    cellIds: input.cellIds,
    features: isTarget ? [] : [input.variable],
  });
  const maxPoints = input.maxPoints ?? 300;
  const maxLines = input.maxLines ?? 12;
  const rates = loaded.cells.map((c) => ({
    cellId: c.cellId,
    cellKey: c.cellKey,
    cycles: c.cycle.length,
    ...degradationRate(c),
  }));
  const lines = loaded.cells.slice(0, maxLines).map((c) => {
    const y = series(c, input.variable);
    const keep: number[] = [];
    for (let i = 0; i < y.length; i++) if (Number.isFinite(y[i])) keep.push(i);
    const xs = keep.map((i) => c.cycle[i]);
    const ys = keep.map((i) => y[i]);
    const idx = lttbIndices(xs, ys, maxPoints);
    return {
      cellId: c.cellId,
      cellKey: c.cellKey,
      total: keep.length,
      points: idx.map((i) => ({ cycle: xs[i], value: ys[i] })),
    };
  });
  const { label, unit } = input.variable === "soh" ? { label: "SoH", unit: "fraction" } : info(input.variable);
  return { variable: input.variable, label, unit, lines, rates };
}

export interface ScatterInput {
  datasetId: number;
  userId: number;
  cellIds: number[];
  feature: string;
  target?: "rul" | "pcl";
  maxPointsPerCell?: number;
  maxCells?: number;
}

/** Target vs one feature, one group per cell, each downsampled along the cycle axis. */
export async function scatter(input: ScatterInput) {
  const target = input.target ?? "rul";
  const loaded = await loadCycles({
    datasetId: input.datasetId,
    userId: input.userId,
    cellIds: input.cellIds.slice(0, input.maxCells ?? 12),
    features: [input.feature],
  });
  const perCell = input.maxPointsPerCell ?? 150;
  const groups = loaded.cells.map((c) => {
    const f = c.features[input.feature];
    const t = target === "rul" ? c.rul : c.pcl;
    const keep: number[] = [];
    for (let i = 0; i < f.length; i++) if (Number.isFinite(f[i]) && Number.isFinite(t[i])) keep.push(i);
    const idx = lttbIndices(
      keep.map((i) => c.cycle[i]),
      keep.map((i) => f[i]),
      perCell,
    );
    return {
      cellId: c.cellId,
      cellKey: c.cellKey,
      total: keep.length,
      points: idx.map((j) => ({ x: f[keep[j]], y: t[keep[j]] })),
    };
  });
  return { feature: input.feature, featureLabel: info(input.feature).label, target, groups };
}
