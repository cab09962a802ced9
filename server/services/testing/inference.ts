/**
 * Runs a test job's inference, queue-free (the battery.test handler and the tests call it):
 * the version's ONNX file (normalisation inside: raw inputs in, raw targets out) through
 * onnxruntime-node, cell by cell in batches, with the same samples as training
 * (server/services/training/data.ts cellSamples: window, horizon, finite rows). Metrics overall
 * and per cell come from server/ml/metrics.ts targetMetrics, the platform's one definition.
 */
import * as ort from "onnxruntime-node";
import { loadCycles } from "../battery/datasets.js";
import { cellSamples, withHistoryInputs } from "../training/data.js";
import { targetMetrics } from "../../ml/metrics.js";
import { artifacts } from "../../storage/artifacts.js";
import { modelKey, MODEL_FILES } from "../training/versions.js";
import type { CellMetrics, TestJobConfig, TestTarget } from "../../schemas/testing.js";
import type { CellSeries } from "./cell-blob.js";

export interface CellOutcome extends CellSeries {
  cellKey: string;
  n: number;
  metrics: CellMetrics;
}

export interface InferenceProgress {
  done: number;
  total: number;
  cell: string;
  samples: number;
  /** Metrics over every sample scored so far. */
  running: CellMetrics;
}

export interface InferenceHooks {
  onCell?: (p: InferenceProgress) => void | Promise<void>;
  /** Checked between cells; true stops (the run returns null). */
  isCancelled?: () => Promise<boolean>;
}

export interface InferenceOutcome {
  cells: CellOutcome[];
  overall: CellMetrics;
  samples: number;
  emptyCells: string[];
  elapsedMs: number;
}

export function metricsOf(targets: TestTarget[], s: CellSeries): CellMetrics {
  const out: CellMetrics = {};
  for (const t of targets) {
    const v = s.byTarget[t];
    if (v && v.yTrue.length) out[t] = targetMetrics(t, v.yPred, v.yTrue);
  }
  return out;
}

/** Concatenation of every cell's series (in cell order) for overall metrics. */
export function concatSeries(targets: TestTarget[], cells: CellSeries[]): CellSeries {
  const n = cells.reduce((s, c) => s + c.cycle.length, 0);
  const out: CellSeries = { cycle: new Float64Array(n), byTarget: {} };
  for (const t of targets) out.byTarget[t] = { yTrue: new Float64Array(n), yPred: new Float64Array(n) };
  let o = 0;
  for (const c of cells) {
    out.cycle.set(c.cycle, o);
    for (const t of targets) {
      out.byTarget[t]!.yTrue.set(c.byTarget[t]!.yTrue, o);
      out.byTarget[t]!.yPred.set(c.byTarget[t]!.yPred, o);
    }
    o += c.cycle.length;
  }
  return out;
}

/** An onnxruntime session of the version's model file. */
export async function versionSession(ownerId: number, versionId: number): Promise<ort.InferenceSession> {
  const key = modelKey(ownerId, versionId, MODEL_FILES.onnx);
  if (!(await artifacts().exists(key)))
    throw new Error(`the ONNX file of model version ${versionId} is missing (was the version deleted?)`);
  const buffer = await artifacts().get(key);
  return ort.InferenceSession.create(buffer, { intraOpNumThreads: 1, interOpNumThreads: 1 });
}

/** Raw predictions [n, outputs] of raw inputs [n, (window,) d], in batches. */
export async function runBatches(
  session: ort.InferenceSession,
  x: Float32Array,
  n: number,
  window: number,
  d: number,
  outputs: number,
  batchSize: number,
): Promise<Float32Array> {
  const out = new Float32Array(n * outputs);
  const per = window * d;
  for (let s = 0; s < n; s += batchSize) {
    const b = Math.min(batchSize, n - s);
    const shape = window > 1 ? [b, window, d] : [b, d];
    const input = new ort.Tensor("float32", x.subarray(s * per, (s + b) * per), shape);
    const res = await session.run({ [session.inputNames[0]]: input });
    out.set(res[session.outputNames[0]].data as Float32Array, s * outputs);
  }
  return out;
}

export async function runInference(
  userId: number,
  versionOwnerId: number,
  cfg: TestJobConfig,
  hooks: InferenceHooks = {},
): Promise<InferenceOutcome | null> {
  const started = Date.now();
  const v = cfg.version;
  const session = await versionSession(versionOwnerId, cfg.versionId);
  const loaded = await loadCycles({ datasetId: cfg.datasetId, userId, cellKeys: cfg.cellKeys, features: v.features });
  const withInputs = await withHistoryInputs(loaded.cells, v.history);
  const d = v.inputNames.length;
  const k = v.outputNames.length;
  const cols = cfg.targets.map((t) => v.outputNames.indexOf(t));
  const cells: CellOutcome[] = [];
  const emptyCells: string[] = [];
  let samples = 0;
  for (let ci = 0; ci < loaded.cells.length; ci++) {
    if (hooks.isCancelled && (await hooks.isCancelled())) return null;
    const cell = withInputs[ci];
    const s = cellSamples([cell], v.features, cfg.targets, v.window, cfg.horizon, v.history);
    const pred = await runBatches(session, s.x, s.n, v.window, d, k, cfg.batchSize);
    const series: CellSeries = { cycle: s.cycle, byTarget: {} };
    cfg.targets.forEach((t, j) => {
      const yTrue = new Float64Array(s.n);
      const yPred = new Float64Array(s.n);
      for (let i = 0; i < s.n; i++) {
        yTrue[i] = s.y[i * cfg.targets.length + j];
        yPred[i] = pred[i * k + cols[j]];
      }
      series.byTarget[t] = { yTrue, yPred };
    });
    if (!s.n) emptyCells.push(cell.cellKey);
    samples += s.n;
    cells.push({ ...series, cellKey: cell.cellKey, n: s.n, metrics: metricsOf(cfg.targets, series) });
    await hooks.onCell?.({
      done: ci + 1,
      total: loaded.cells.length,
      cell: cell.cellKey,
      samples,
      running: metricsOf(cfg.targets, concatSeries(cfg.targets, cells)),
    });
  }
  await session.release();
  const overall = metricsOf(cfg.targets, concatSeries(cfg.targets, cells));
  return { cells, overall, samples, emptyCells, elapsedMs: Date.now() - started };
}
