/**
 * Typed loader additions for the energy forecasters in the addon (native/core/energy/*,
 * native/binding/energy-binding.cc). Same addon file and loader as native/index.ts.
 *
 * Data layout (one asset's series, T rows):
 * - past   [T, pastDim]: column 0 the target, then past covariates, then the `futureDim`
 *   known-in-advance columns (calendar, future covariates) LAST;
 * - future [T, futureDim]: the known-in-advance columns alone;
 * - target [T]: NaN where not scored (missing, meter dropout).
 * An origin o forecasts rows o … o+H−1 from past rows o−L … o−1 and future rows o … o+H−1.
 * Training arrays arrive already z-scored (net models) or raw (GBDT: trees need no input scaling,
 * the label is (y − yMean) / yStd). Losses are mean pinball losses in scaled units.
 * Predictions are [n, H, Q]; predictEnergyNet sorts along Q (monotone quantiles), as the ONNX graph does.
 */
import { loadNative, type FloatTensor, type NamedWeight } from "./index.js";

export type EnergyNetKind = "lstm" | "tide" | "tft";
export type EnergyModelKind = "gbdt" | EnergyNetKind;

/** Limits (checked by the addon): lookback 1–4096, horizon 1–1024, pastDim ≤ 128, quantiles 1–9,
 * hidden 4–512, layers 1–4, TFT heads dividing hidden and futureDim ≥ 1. */
export interface EnergyNetSpec {
  kind: EnergyNetKind;
  lookback: number;
  horizon: number;
  pastDim: number;
  futureDim: number;
  quantiles: number;
  /** LSTM hidden, TiDE width, TFT d_model. Default 64. */
  hidden?: number;
  /** LSTM layers; TiDE encoder and decoder blocks. Default 1. */
  layers?: number;
  /** TFT attention heads. Default 4. */
  heads?: number;
  /** TiDE decoder output per step (default 8) and covariate projection (default 4). */
  decoderDim?: number;
  projDim?: number;
  dropout?: number;
}

export interface EnergyScaling {
  pastMean: number[];
  pastStd: number[];
  futureMean: number[];
  futureStd: number[];
  yMean: number;
  yStd: number;
}

export interface EnergyEpoch {
  /** 1-based epoch (GBDT: boosting round). */
  epoch: number;
  total: number;
  trainLoss: number;
  valLoss: number;
  elapsedMs: number;
}

export interface EnergyNetTrainSpec {
  model: EnergyNetSpec;
  past: FloatTensor;
  future: FloatTensor;
  target: FloatTensor;
  trainOrigins: Int32Array | number[];
  valOrigins: Int32Array | number[];
  quantiles: number[];
  epochs: number;
  batchSize: number;
  learningRate?: number;
  seed?: number;
  threads?: number;
}

export interface EnergyNetTrainResult {
  weights: NamedWeight[];
  history: EnergyEpoch[];
  bestEpoch: number;
  bestValLoss: number | null;
  cancelled: boolean;
}

export interface GbdtSpec {
  lookback: number;
  horizon: number;
  futureDim: number;
  /** Steps per day (same-time lags). */
  season: number;
  recentLags?: number;
  seasonalDays?: number;
  trees?: number;
  learningRate?: number;
  maxLeaves?: number;
  maxBin?: number;
  lambda?: number;
  minChildWeight?: number;
  subsample?: number;
  colsample?: number;
  maxRows?: number;
  earlyStopping?: number;
  seed?: number;
  threads?: number;
  quantiles?: number[];
}

export interface GbdtTrainSpec {
  model: GbdtSpec;
  target: FloatTensor;
  future: FloatTensor;
  yMean: number;
  yStd: number;
  trainOrigins: Int32Array | number[];
  valOrigins: Int32Array | number[];
}

export interface GbdtTrainResult {
  /** XGBoost JSON models (one per quantile) and their saved configs. */
  models: string[];
  configs: string[];
  baseScores: Float32Array;
  history: EnergyEpoch[];
  bestRound: number;
  bestValLoss: number | null;
  trainRows: number;
  features: number;
  cancelled: boolean;
}

export interface EnergyTrainHandle<R> {
  promise: Promise<R>;
  cancel(): void;
}

interface EnergyAddon {
  trainEnergyNet(spec: EnergyNetTrainSpec, onEpoch?: (e: EnergyEpoch) => void): EnergyTrainHandle<EnergyNetTrainResult>;
  predictEnergyNet(
    model: EnergyNetSpec,
    weights: NamedWeight[],
    past: FloatTensor,
    future: FloatTensor,
    scaling: EnergyScaling,
    threads?: number,
  ): FloatTensor;
  trainEnergyGbdt(spec: GbdtTrainSpec, onRound?: (e: EnergyEpoch) => void): EnergyTrainHandle<GbdtTrainResult>;
  predictEnergyGbdt(model: GbdtSpec, models: string[], window: FloatTensor, future: FloatTensor): FloatTensor;
  energyGbdtLagIndex(model: GbdtSpec): Int32Array;
}

const addon = () => loadNative() as unknown as EnergyAddon;

export function trainEnergyNet(spec: EnergyNetTrainSpec, onEpoch?: (e: EnergyEpoch) => void) {
  return addon().trainEnergyNet(spec, onEpoch);
}
/** past [n, L, pastDim] and future [n, H, futureDim] RAW → [n, H, Q] RAW, sorted along Q. */
export function predictEnergyNet(
  model: EnergyNetSpec,
  weights: NamedWeight[],
  past: FloatTensor,
  future: FloatTensor,
  scaling: EnergyScaling,
  threads = 1,
): FloatTensor {
  return addon().predictEnergyNet(model, weights, past, future, scaling, threads);
}
export function trainEnergyGbdt(spec: GbdtTrainSpec, onRound?: (e: EnergyEpoch) => void) {
  return addon().trainEnergyGbdt(spec, onRound);
}
/** XGBoost's own prediction: window [n, L] raw target, future [n, H, futureDim] raw → [n, H, Q] in SCALED units, unsorted. */
export function predictEnergyGbdt(
  model: GbdtSpec,
  models: string[],
  window: FloatTensor,
  future: FloatTensor,
): FloatTensor {
  return addon().predictEnergyGbdt(model, models, window, future);
}
/** [H × nLag] positions in the window padded with one NaN (index L = missing). */
export function energyGbdtLagIndex(model: GbdtSpec): Int32Array {
  return addon().energyGbdtLagIndex(model);
}
