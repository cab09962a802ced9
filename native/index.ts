/**
 * Typed loader for the LibTorch addon (build/Release/voltlab_native.node).
 *
 * The .node file is loaded once, on first use, so importing this module never
 * fails in a process that does not train. Build it with `npx node-gyp rebuild -j 2`
 * (binding.gyp at the repository root; LibTorch from Debian's libtorch-dev, or
 * LIBTORCH_DIR / LIBTORCH_INCLUDE / LIBTORCH_LIB and VOLTLAB_CUDA=1 for a CUDA build).
 *
 * Conventions shared with the worker and the ONNX writer:
 * - Training inputs and targets arrive already z-scored (statistics belong to the
 *   model version); losses and `valPredictions` are in normalised units.
 * - The cycle number is the LAST input column: DeepHPM's t. The other columns are s.
 * - x is [n, inputDim] (baseline, deephpm) or [n, window, inputDim] (bilstm); y is [n, outputs].
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

export type ModelKind = "baseline" | "bilstm" | "deephpm";
/** Inputs of DeepHPM's hidden-physics network G. */
export type PhysicsInput = "s" | "t" | "u" | "u_s" | "u_t";
export type PhysicsLoss = "sum" | "adaptive";

/** Architecture. Limits (checked by the addon, see nativeLimits()): layers 1–6, widths 8–512,
 * LSTM layers 1–4, LSTM hidden 4–256, window 1–64, outputs 1–2, dropout 0–0.9, inputDim 1–256. */
export interface ModelSpec {
  kind: ModelKind;
  /** Features + the cycle number (last column). */
  inputDim: number;
  /** 1 or 2 targets (e.g. PCL and RUL). Default 1. */
  outputs?: number;
  /** BiLSTM sequence length W; must be 1 (default) for the per-cycle models. */
  window?: number;
  /** Baseline MLP and DeepHPM's u(s, t): default 2 × 128, dropout 0.2. */
  hiddenLayers?: number;
  hiddenWidth?: number;
  dropout?: number;
  /** BiLSTM: default 2 layers × 64 per direction. */
  lstmLayers?: number;
  lstmHidden?: number;
  /** DeepHPM's G: default ['s', 't', 'u'], same layers/width as u, loss 'sum'. */
  physicsInputs?: PhysicsInput[];
  physicsLayers?: number;
  physicsWidth?: number;
  physicsLoss?: PhysicsLoss;
  /** Weight w of the physics terms in the 'sum' loss (data + w·(F + F_t) terms), 0.001–100, default 1. */
  physicsWeight?: number;
}

/** Row-major float32 array with its shape. */
export interface FloatTensor {
  data: Float32Array;
  shape: number[];
}

export interface TrainSpec {
  model: ModelSpec;
  xTrain: FloatTensor;
  yTrain: FloatTensor;
  xVal: FloatTensor;
  yVal: FloatTensor;
  /** Optional inputs (same layout as xTrain) predicted every epoch, e.g. xTrain itself for
   * per-epoch train metrics; see EpochProgress.monitorPredictions. */
  monitor?: FloatTensor;
  epochs: number;
  /** Fixed by the platform: 1024 for per-cycle models, smaller for BiLSTM. */
  batchSize: number;
  /** Adam learning rate, default 1e-3. */
  learningRate?: number;
  /** Std of Gaussian noise added to each training batch's (normalised) inputs, 0 (default) to 2.
   * A regulariser for models tested on unseen cells; validation and inference inputs are clean. */
  inputNoise?: number;
  /** Drives initialisation, dropout and shuffling. Same seed + threads on CPU => same result. */
  seed?: number;
  /** Torch intra-op threads on the training thread, default 1 (fastest for these models).
   * Also sets OpenBLAS's pool, which is process-wide. */
  threads?: number;
  /** 'cpu' (default) or 'cuda' (needs a CUDA build and a GPU, else ERR_VOLTLAB_DEVICE_UNAVAILABLE). */
  device?: "cpu" | "cuda" | `cuda:${number}`;
  /** If set, the best epoch's parameters are written there (torch::serialize archive). */
  checkpointPath?: string;
}

export interface EpochProgress {
  /** 1-based. */
  epoch: number;
  /** Mean training objective over the epoch (DeepHPM: including the physics terms). */
  trainLoss: number;
  /** Validation data MSE, normalised units. */
  valLoss: number;
  /** Wall time of the epoch (training + validation pass). */
  elapsedMs: number;
  /** CPU time of the training thread in the epoch (insensitive to other load when threads = 1). */
  cpuMs: number;
  /** This epoch's validation predictions, [nVal, outputs] row-major, normalised units. */
  valPredictions: Float32Array;
  /** Predictions for TrainSpec.monitor (eval mode, normalised units), when given. */
  monitorPredictions?: Float32Array;
}

export type EpochSummary = Omit<EpochProgress, "valPredictions" | "monitorPredictions">;

export interface NamedWeight {
  /** PyTorch-style name, e.g. 'fc0.weight', 'lstm.weight_ih_l0_reverse', 'u.out.bias'. */
  name: string;
  shape: number[];
  data: Float32Array;
}

export interface TrainResult {
  /** Parameters of the best-validation epoch (DeepHPM: u.*, g.* and log_sigma). Empty if
   * cancelled before the first epoch ended. */
  weights: NamedWeight[];
  history: EpochSummary[];
  /** 1-based; 0 when no epoch completed. */
  bestEpoch: number;
  bestValLoss: number | null;
  /** cancel() was called: the result holds the epochs completed so far. */
  cancelled: boolean;
}

export interface TrainHandle {
  /** Rejects with a NativeError for bad arguments/shapes, a NaN loss or a LibTorch error.
   * If onEpoch throws, training stops and the promise rejects with that error. */
  promise: Promise<TrainResult>;
  /** Stops training at the next batch boundary; the promise resolves with cancelled: true. */
  cancel(): void;
}

/** z-score statistics: raw = normalised × std + mean. */
export interface Normalization {
  xMean: ArrayLike<number>;
  xStd: ArrayLike<number>;
  yMean: ArrayLike<number>;
  yStd: ArrayLike<number>;
}

export interface PredictOptions {
  /** If given, x is raw and the result is raw (same ops as the ONNX graph). */
  normalization?: Normalization;
  device?: "cpu" | "cuda";
  threads?: number;
}

export interface NativeInfo {
  torchVersion: string;
  cudaCompiled: boolean;
  cudaAvailable: boolean;
  cudaDeviceCount: number;
  defaultDevice: "cpu" | "cuda";
  threads: { callingThread: number; trainingDefault: number };
  /** e.g. "openblas (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3, …)". */
  blas: string;
  /** OpenBLAS pool size (process-wide), 0 when the BLAS is not OpenBLAS. */
  blasThreads: number;
  parallelInfo: string;
  buildConfig: string;
}

/** A closed range [min, max] (energy learningRate: (min, max]). */
export type LimitRange = [number, number];

/** The bounds the core checks on training requests (native/core/limits.h); the zod schemas
 * agree with them (native/limits.test.ts). */
export interface NativeLimits {
  battery: Record<
    | "inputDim"
    | "window"
    | "outputs"
    | "layers"
    | "width"
    | "lstmLayers"
    | "lstmHidden"
    | "dropout"
    | "physicsWeight"
    | "epochs"
    | "batchSize"
    | "threads"
    | "learningRate"
    | "inputNoise",
    LimitRange
  >;
  energy: Record<"lookback" | "horizon" | "netEpochs" | "trees" | "learningRate" | "batchSize" | "threads", LimitRange>;
}

export type NativeErrorCode =
  | "ERR_VOLTLAB_INVALID_ARGUMENT"
  | "ERR_VOLTLAB_NON_FINITE_LOSS"
  | "ERR_VOLTLAB_DEVICE_UNAVAILABLE"
  | "ERR_VOLTLAB_TORCH"
  | "ERR_VOLTLAB_INTERNAL";

export interface NativeError extends Error {
  code: NativeErrorCode;
}

export interface NativeAddon {
  train(spec: TrainSpec, onEpoch?: (progress: EpochProgress) => void): TrainHandle;
  /** Synchronous forward pass from weights (unknown or wrong-shaped weights throw). */
  predict(model: ModelSpec, weights: NamedWeight[], x: FloatTensor, options?: PredictOptions): FloatTensor;
  readCheckpoint(model: ModelSpec, path: string): NamedWeight[];
  info(): NativeInfo;
  limits(): NativeLimits;
}

const addonPath =
  process.env.VOLTLAB_NATIVE_PATH ?? fileURLToPath(new URL("../build/Release/voltlab_native.node", import.meta.url));

let cached: NativeAddon | undefined;

/** Loads the addon once; throws one Error saying what to install or build. */
export function loadNative(): NativeAddon {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  try {
    cached = require(addonPath) as NativeAddon;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split("\n")[0] : String(cause);
    const hint = existsSync(addonPath)
      ? "Install LibTorch and OpenBLAS (apt-get install libtorch-dev libopenblas0-pthread), " +
        "then rebuild with `npx node-gyp rebuild -j 2`"
      : "Build it with `npx node-gyp rebuild -j 2` (needs apt-get install libtorch-dev libopenblas0-pthread)";
    throw new Error(`The VoltLab native addon could not be loaded from ${addonPath}: ${reason}. ${hint}.`, {
      cause,
    });
  }
  return cached;
}

export function train(spec: TrainSpec, onEpoch?: (progress: EpochProgress) => void): TrainHandle {
  return loadNative().train(spec, onEpoch);
}

export function predict(
  model: ModelSpec,
  weights: NamedWeight[],
  x: FloatTensor,
  options?: PredictOptions,
): FloatTensor {
  const normalization = options?.normalization && {
    xMean: Array.from(options.normalization.xMean),
    xStd: Array.from(options.normalization.xStd),
    yMean: Array.from(options.normalization.yMean),
    yStd: Array.from(options.normalization.yStd),
  };
  return loadNative().predict(model, weights, x, { ...options, normalization });
}

export function readCheckpoint(model: ModelSpec, path: string): NamedWeight[] {
  return loadNative().readCheckpoint(model, path);
}

export function nativeInfo(): NativeInfo {
  return loadNative().info();
}

export function nativeLimits(): NativeLimits {
  return loadNative().limits();
}

export function isNativeError(e: unknown): e is NativeError {
  if (!(e instanceof Error)) return false;
  const code: unknown = (e as Error & { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("ERR_VOLTLAB_");
}
