/**
 * Trains one algorithm of a task through the native addon: R seeds in sequence, per-epoch
 * validation metrics (the addon's normalised validation predictions, de-normalised and scored
 * with server/ml/metrics.ts), the best-validation epoch of each seed kept, the best seed's
 * weights and checkpoint returned, every seed's metrics with mean ± std (sample std, n − 1).
 *
 * Train metrics: the addon hands back no weights during training, so per epoch only the
 * training loss (normalised objective; DeepHPM's includes the physics terms) is reported. Full
 * train metrics are computed once, at the kept epoch, with `predict`.
 *
 * Queue-free (the worker handler and the accuracy benchmark both call it).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { mean, sampleStandardDeviation } from "simple-statistics";
import {
  predict,
  train as nativeTrain,
  type EpochProgress,
  type ModelSpec,
  type NamedWeight,
  type TrainResult,
} from "../../../native/index.js";
import { targetMetrics, type TargetMetrics } from "../../ml/metrics.js";
import { inputNoiseOf, SYSTEM_SETTINGS, type Algorithm, type TaskConfig } from "../../schemas/training.js";
import { normalizeX, normalizeY, type Normalization, type Samples, type TaskData } from "./data.js";

export type MetricName = "rmspe" | "rmse" | "mse" | "mae" | "r2";
export const METRIC_NAMES: MetricName[] = ["rmspe", "rmse", "mse", "mae", "r2"];

/** Metrics of each target (pcl, rul) on one split. */
export type SplitMetrics = Partial<Record<"pcl" | "rul", TargetMetrics>>;

export interface EpochReport {
  algorithm: Algorithm;
  seed: number;
  seedIndex: number;
  repeats: number;
  epoch: number;
  epochs: number;
  trainLoss: number;
  valLoss: number;
  elapsedMs: number;
  /** Per target: validation metrics of this epoch in raw units. */
  val: Partial<Record<"pcl" | "rul", { rmspe: number; rmse: number; mse: number; r2: number }>>;
}

export interface SeedResult {
  seed: number;
  bestEpoch: number;
  bestValLoss: number | null;
  epochsRun: number;
  elapsedMs: number;
  train: SplitMetrics;
  val: SplitMetrics;
  test: SplitMetrics;
  /** Test metrics per cell key. */
  testPerCell: Record<string, SplitMetrics>;
}

export interface MeanStd {
  mean: number;
  std: number;
}
export type SummaryMetrics = Record<
  "train" | "val" | "test",
  Partial<Record<"pcl" | "rul", Partial<Record<MetricName, MeanStd>>>>
>;

export interface AlgorithmResult {
  algorithm: Algorithm;
  model: ModelSpec;
  batchSize: number;
  seeds: SeedResult[];
  bestSeedIndex: number;
  summary: SummaryMetrics;
  /** The kept seed's best-epoch weights and checkpoint (torch archive). */
  weights: NamedWeight[];
  checkpoint: Buffer | null;
  /** The kept seed's per-epoch history. */
  history: EpochReport[];
}

export interface TrainHooks {
  onEpoch?: (r: EpochReport) => void;
  log?: (message: string, level?: "info" | "warn") => void;
  /** Polled about once a second; true stops training (the run ends cancelled). */
  isCancelled?: () => Promise<boolean>;
  signal?: AbortSignal;
  threads?: number;
  /** Where to train: a GPU worker passes `cuda` (jobs/placement.ts). Default cpu. */
  device?: "cpu" | "cuda";
}

export function modelSpec(
  algorithm: Algorithm,
  cfg: TaskConfig,
  data: Pick<TaskData, "inputDim" | "outputs" | "window">,
): ModelSpec {
  const base = { inputDim: data.inputDim, outputs: data.outputs };
  switch (algorithm) {
    case "baseline":
      return { kind: "baseline", ...base, hiddenLayers: cfg.hiddenLayers, hiddenWidth: cfg.hiddenWidth };
    case "bilstm":
      return { kind: "bilstm", ...base, window: data.window, lstmLayers: cfg.lstmLayers, lstmHidden: cfg.lstmHidden };
    case "deephpm":
      return {
        kind: "deephpm",
        ...base,
        hiddenLayers: cfg.hiddenLayers,
        hiddenWidth: cfg.hiddenWidth,
        physicsInputs: [...cfg.physicsInputs],
        physicsLoss: cfg.physicsLoss,
        physicsWeight: cfg.physicsWeight ?? 1,
      };
  }
}

export const windowFor = (algorithm: Algorithm, cfg: Pick<TaskConfig, "window">) =>
  algorithm === "bilstm" ? cfg.window : 1;

function tensor(data: Float32Array, n: number, window: number, d: number) {
  return { data, shape: window > 1 ? [n, window, d] : [n, d] };
}

/** Raw predictions ([n, k] row-major) of raw inputs (normalisation applied inside, as in ONNX). */
export function predictRaw(
  model: ModelSpec,
  weights: NamedWeight[],
  s: Samples,
  norm: Normalization,
  window: number,
  threads = 1,
): Float32Array {
  if (!s.n) return new Float32Array(0);
  const d = norm.xMean.length;
  return predict(model, weights, tensor(s.x, s.n, window, d), { normalization: norm, threads }).data;
}

function column(values: ArrayLike<number>, k: number, j: number, rows?: number[]): Float64Array {
  const n = rows ? rows.length : values.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[(rows ? rows[i] : i) * k + j];
  return out;
}

export function splitMetrics(
  targets: ("pcl" | "rul")[],
  pred: ArrayLike<number>,
  truth: ArrayLike<number>,
  rows?: number[],
): SplitMetrics {
  const k = targets.length;
  const out: SplitMetrics = {};
  targets.forEach((t, j) => {
    const p = column(pred, k, j, rows);
    if (p.length) out[t] = targetMetrics(t, p, column(truth, k, j, rows));
  });
  return out;
}

function summarise(seeds: SeedResult[]): SummaryMetrics {
  const out: SummaryMetrics = { train: {}, val: {}, test: {} };
  for (const split of ["train", "val", "test"] as const) {
    for (const t of ["pcl", "rul"] as const) {
      if (!seeds[0][split][t]) continue;
      const m: Partial<Record<MetricName, MeanStd>> = {};
      for (const name of METRIC_NAMES) {
        const vs = seeds.map((s) => s[split][t]![name]).filter((v) => Number.isFinite(v));
        if (!vs.length) continue;
        m[name] = { mean: mean(vs), std: vs.length > 1 ? sampleStandardDeviation(vs) : 0 };
      }
      out[split][t] = m;
    }
  }
  return out;
}

/** Trains `algorithm` on `data`; null when cancelled (nothing is kept). */
export async function trainAlgorithm(
  algorithm: Algorithm,
  cfg: TaskConfig,
  data: TaskData,
  hooks: TrainHooks = {},
): Promise<AlgorithmResult | null> {
  const model = modelSpec(algorithm, cfg, data);
  const batchSize = SYSTEM_SETTINGS.batchSize[algorithm];
  const { window, inputDim: d, targets, normalization: norm } = data;
  const k = targets.length;
  const threads = hooks.threads ?? 1;
  const inputNoise = inputNoiseOf(cfg);
  const xTrain = tensor(normalizeX(data.train.x, norm), data.train.n, window, d);
  const yTrain = { data: normalizeY(data.train.y, norm), shape: [data.train.n, k] };
  const xVal = tensor(normalizeX(data.val.x, norm), data.val.n, window, d);
  const yVal = { data: normalizeY(data.val.y, norm), shape: [data.val.n, k] };
  const valPred = new Float64Array(data.val.n * k);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-train-"));
  const log = hooks.log ?? (() => {});
  const seeds: SeedResult[] = [];
  let best: { index: number; loss: number; weights: NamedWeight[]; history: EpochReport[]; checkpoint: string } | null =
    null;
  try {
    for (let r = 0; r < cfg.repeats; r++) {
      const seed = cfg.seed + r;
      const history: EpochReport[] = [];
      const checkpoint = path.join(tmp, `seed-${r}.pt`);
      log(
        `${algorithm}: seed ${seed} (${r + 1} of ${cfg.repeats}), ${cfg.epochs} epochs, ${data.train.n} train / ${data.val.n} validation / ${data.test.n} test samples, batch ${batchSize}, input noise σ ${inputNoise}`,
      );
      const onEpoch = (p: EpochProgress) => {
        for (let i = 0; i < valPred.length; i++)
          valPred[i] = p.valPredictions[i] * norm.yStd[i % k] + norm.yMean[i % k];
        const val: EpochReport["val"] = {};
        targets.forEach((t, j) => {
          const m = targetMetrics(t, column(valPred, k, j), column(data.val.y, k, j));
          val[t] = { rmspe: m.rmspe, rmse: m.rmse, mse: m.mse, r2: m.r2 };
        });
        const rep: EpochReport = {
          algorithm,
          seed,
          seedIndex: r,
          repeats: cfg.repeats,
          epoch: p.epoch,
          epochs: cfg.epochs,
          trainLoss: p.trainLoss,
          valLoss: p.valLoss,
          elapsedMs: p.elapsedMs,
          val,
        };
        history.push(rep);
        hooks.onEpoch?.(rep);
      };
      const handle = nativeTrain(
        {
          model,
          xTrain,
          yTrain,
          xVal,
          yVal,
          epochs: cfg.epochs,
          batchSize,
          learningRate: cfg.learningRate,
          inputNoise,
          seed,
          threads,
          device: hooks.device ?? "cpu",
          checkpointPath: checkpoint,
        },
        onEpoch,
      );
      let cancelled = false;
      const stop = () => {
        cancelled = true;
        handle.cancel();
      };
      if (hooks.signal?.aborted) stop();
      hooks.signal?.addEventListener("abort", stop, { once: true });
      const poll = hooks.isCancelled
        ? setInterval(() => {
            void hooks.isCancelled!().then(
              (c) => c && stop(),
              () => {},
            );
          }, 1000)
        : null;
      let result: TrainResult;
      try {
        result = await handle.promise;
      } finally {
        if (poll) clearInterval(poll);
        hooks.signal?.removeEventListener("abort", stop);
      }
      if (cancelled || result.cancelled) {
        log(`${algorithm}: cancelled at epoch ${result.history.length} of seed ${seed}; nothing is kept`, "warn");
        return null;
      }
      const preds = {
        train: predictRaw(model, result.weights, data.train, norm, window, threads),
        val: predictRaw(model, result.weights, data.val, norm, window, threads),
        test: predictRaw(model, result.weights, data.test, norm, window, threads),
      };
      const testPerCell: Record<string, SplitMetrics> = {};
      const byCell = new Map<number, number[]>();
      data.test.cell.forEach((c, i) => byCell.set(c, [...(byCell.get(c) ?? []), i]));
      for (const [c, rows] of byCell) testPerCell[data.cells[c]] = splitMetrics(targets, preds.test, data.test.y, rows);
      const sr: SeedResult = {
        seed,
        bestEpoch: result.bestEpoch,
        bestValLoss: result.bestValLoss,
        epochsRun: result.history.length,
        elapsedMs: result.history.at(-1)?.elapsedMs ?? 0,
        train: splitMetrics(targets, preds.train, data.train.y),
        val: splitMetrics(targets, preds.val, data.val.y),
        test: splitMetrics(targets, preds.test, data.test.y),
        testPerCell,
      };
      seeds.push(sr);
      const first = targets[0];
      const fmt = (m?: TargetMetrics) =>
        m ? `RMSPE ${(100 * m.rmspe).toFixed(3)}%, RMSE ${m.rmse.toPrecision(4)}, R² ${m.r2.toFixed(4)}` : "–";
      log(
        `${algorithm}: seed ${seed} kept epoch ${result.bestEpoch} (val loss ${result.bestValLoss?.toExponential(3)}); ${first} val ${fmt(sr.val[first])}; test ${fmt(sr.test[first])}`,
      );
      const loss = result.bestValLoss ?? Infinity;
      if (!best || loss < best.loss) best = { index: r, loss, weights: result.weights, history, checkpoint };
    }
    if (!best) return null;
    const checkpoint = fs.existsSync(best.checkpoint) ? fs.readFileSync(best.checkpoint) : null;
    return {
      algorithm,
      model,
      batchSize,
      seeds,
      bestSeedIndex: best.index,
      summary: summarise(seeds),
      weights: best.weights,
      checkpoint,
      history: best.history,
    };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}
