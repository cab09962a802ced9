/**
 * Energy forecasters: dataset layout, training (native addon) and ONNX inference.
 *
 * Layout (see native/energy.ts): past columns = [target, numeric past covariates, calendar
 * (5), numeric future covariates]; future columns = [calendar, numeric future covariates].
 * Categorical covariates are not used (documented limitation). Points flagged DROPOUT count as
 * missing (NaN) in inputs and targets.
 *
 * Split: the last `fraction` (default 20 %) of the points is the held-out tail (evaluateOnTail
 * scores it). Of the part before it, origins whose horizon ends in the last 10 % validate
 * (best epoch / round); the rest train. Scaling statistics come from the part before the tail.
 *
 * Quantiles: trained with the pinball loss; at inference the Q outputs are sorted (TopK in the
 * ONNX graph), so they never cross.
 *
 * GBDT: XGBoost 1.7 has no quantile objective, so one booster per quantile with the custom
 * pinball gradient (grad = 1[y < ŷ] − q, hess = 1), tree_method hist, grow_policy lossguide,
 * max_leaves; one model for all H steps with the step h as a feature (fast on 2 cores).
 */
import * as ort from "onnxruntime-node";
import { trainEnergyGbdt, trainEnergyNet, type EnergyEpoch, type EnergyModelKind, type EnergyNetSpec, type EnergyScaling, type GbdtSpec } from "../../../native/energy.js";
import { writeEnergyGbdtOnnx, writeEnergyNetOnnx, PAST_INPUT, FUTURE_INPUT, QUANTILES_OUTPUT } from "../../ml/onnx/energy-onnx.js";
import type { QuantileForecast } from "../../ml/forecast-metrics.js";
import { calendarFeatures, CALENDAR_FEATURE_NAMES } from "./calendar.js";
import type { FutureCovariates, Forecaster } from "./evaluate.js";
import { seasonSteps } from "./seasonal-naive.js";
import type { LoadedSeries } from "./series.js";
import { POINT_FLAGS } from "./types.js";

export const DEFAULT_QUANTILES = [0.1, 0.5, 0.9];

export interface TrainOptions {
  kind: EnergyModelKind;
  lookback: number;
  horizon: number;
  quantiles?: number[];
  /** Epochs (nets) or boosting rounds (GBDT). */
  epochs?: number;
  learningRate?: number;
  seed?: number;
  /** Held-out tail fraction (default 0.2). */
  fraction?: number;
  hidden?: number;
  /** GBDT leaves per tree. */
  maxLeaves?: number;
  /** Cap on training windows for the nets (strided): LSTM 4000, TiDE 6000, TFT 2000 by default. */
  maxWindows?: number;
  threads?: number;
}

/** Everything inference needs besides the ONNX file (stored as config.json). */
export interface ForecasterConfig {
  kind: EnergyModelKind;
  lookback: number;
  horizon: number;
  quantiles: number[];
  frequencySeconds: number;
  season: number;
  pastCovariates: string[];
  futureCovariates: string[];
  calendar: string[];
  pastDim: number;
  futureDim: number;
  scaling: EnergyScaling;
  split: { trainPoints: number; valStart: number; fraction: number; trainWindows: number; valWindows: number };
  params: Record<string, unknown>;
}

export interface TrainedForecaster {
  config: ForecasterConfig;
  onnx: Uint8Array;
  history: EnergyEpoch[];
  best: number;
  trainSeconds: number;
  cancelled: boolean;
  /** Extra files (XGBoost JSON models) by name. */
  files: Record<string, string>;
}

function numericCovs(series: LoadedSeries, role: "past" | "future") {
  return series.covariates.filter((c): c is Extract<typeof c, { kind: "numeric" }> => c.kind === "numeric" && c.role === role);
}

/** Past and future matrices of a (slice of a) series, raw; `futureTs` extends the calendar beyond it. */
export function buildMatrices(series: LoadedSeries, cfg: Pick<ForecasterConfig, "pastCovariates" | "futureCovariates">, extra?: FutureCovariates) {
  const T = series.timestamps.length;
  const byName = new Map(series.covariates.map((c) => [c.name, c]));
  const col = (name: string) => {
    const c = byName.get(name);
    if (!c || c.kind !== "numeric") throw new Error(`the series has no numeric covariate "${name}"`);
    return c.values;
  };
  const pastCovs = cfg.pastCovariates.map(col);
  const futCovs = cfg.futureCovariates.map(col);
  const cal = calendarFeatures(series.timestamps).values;
  const C = cal.length + futCovs.length;
  const D = 1 + pastCovs.length + C;
  const past = new Float32Array(T * D);
  const future = new Float32Array(T * C);
  const target = new Float32Array(T);
  for (let t = 0; t < T; t++) {
    const v = series.flags[t] & POINT_FLAGS.DROPOUT ? NaN : series.values[t];
    target[t] = v;
    const row = [v, ...pastCovs.map((c) => c[t]), ...cal.map((c) => c[t]), ...futCovs.map((c) => c[t])];
    past.set(row, t * D);
    future.set(row.slice(1 + pastCovs.length), t * C);
  }
  let horizonFuture: Float32Array | null = null;
  if (extra) {
    const H = extra.timestamps.length;
    const fcal = extra.calendar.values;
    const fcov = cfg.futureCovariates.map((name) => {
      const c = extra.covariates.find((x) => x.name === name);
      return c && c.kind === "numeric" ? c.values : new Float32Array(H).fill(NaN);
    });
    horizonFuture = new Float32Array(H * C);
    for (let h = 0; h < H; h++) horizonFuture.set([...fcal.map((c) => c[h]), ...fcov.map((c) => c[h])], h * C);
  }
  return { past, future, target, D, C, horizonFuture };
}

function columnStats(data: Float32Array, cols: number, rows: number) {
  const mean: number[] = [], std: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0, s2 = 0, n = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c];
      if (Number.isFinite(v)) { s += v; s2 += v * v; n++; }
    }
    const m = n ? s / n : 0;
    const sd = n ? Math.sqrt(Math.max(s2 / n - m * m, 0)) : 0;
    mean.push(Math.fround(m));
    std.push(Math.fround(sd > 1e-6 ? sd : 1));
  }
  return { mean, std };
}

function range(from: number, to: number, step = 1): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i += step) out.push(i);
  return out;
}

export async function trainForecaster(series: LoadedSeries, opts: TrainOptions, onEpoch?: (e: EnergyEpoch) => void, signal?: AbortSignal): Promise<TrainedForecaster> {
  if (!series.frequencySeconds) throw new Error("the series has no frequency");
  const L = opts.lookback, H = opts.horizon;
  const quantiles = opts.quantiles ?? DEFAULT_QUANTILES;
  const fraction = opts.fraction ?? 0.2;
  const season = seasonSteps(series.frequencySeconds);
  const T = series.timestamps.length;
  const trainPoints = T - Math.round(T * fraction);
  const valStart = trainPoints - Math.max(H, Math.round(trainPoints * 0.1));
  const pastCovariates = numericCovs(series, "past").map((c) => c.name);
  const futureCovariates = numericCovs(series, "future").map((c) => c.name);
  const m = buildMatrices(series, { pastCovariates, futureCovariates });
  const ps = columnStats(m.past, m.D, trainPoints);
  const fs = columnStats(m.future, m.C, trainPoints);
  const scaling: EnergyScaling = { pastMean: ps.mean, pastStd: ps.std, futureMean: fs.mean, futureStd: fs.std, yMean: ps.mean[0], yStd: ps.std[0] };

  const allTrain = range(L, valStart - H);
  const allVal = range(Math.max(valStart, L), trainPoints - H);
  if (allTrain.length < 10 || allVal.length < 1) throw new Error(`not enough data before the held-out tail for lookback ${L} and horizon ${H} (${trainPoints} points)`);
  const maxWindows = opts.maxWindows ?? { gbdt: Infinity, lstm: 4000, tide: 6000, tft: 2000 }[opts.kind];
  const stride = Math.max(1, Math.ceil(allTrain.length / maxWindows));
  const valStride = Math.max(1, Math.ceil(allVal.length / 400));
  const isNet = opts.kind !== "gbdt";
  const trainOrigins = Int32Array.from(isNet ? allTrain.filter((_, i) => i % stride === 0) : allTrain);
  const valOrigins = Int32Array.from(allVal.filter((_, i) => i % valStride === 0));
  const base = {
    kind: opts.kind, lookback: L, horizon: H, quantiles, frequencySeconds: series.frequencySeconds, season,
    pastCovariates, futureCovariates, calendar: [...CALENDAR_FEATURE_NAMES], pastDim: m.D, futureDim: m.C, scaling,
    split: { trainPoints, valStart, fraction, trainWindows: trainOrigins.length, valWindows: valOrigins.length },
  };

  const started = performance.now();
  if (opts.kind === "gbdt") {
    const model: GbdtSpec = {
      lookback: L, horizon: H, futureDim: m.C, season,
      recentLags: Math.min(16, L), seasonalDays: Math.max(0, Math.min(7, Math.floor(L / season))),
      trees: opts.epochs ?? 300, learningRate: opts.learningRate ?? 0.3, maxLeaves: opts.maxLeaves ?? 31,
      maxRows: 100_000, earlyStopping: 40, seed: opts.seed ?? 0, threads: opts.threads ?? 2, quantiles, minChildWeight: 20,
    };
    const handle = trainEnergyGbdt({ model, target: { data: m.target, shape: [T] }, future: { data: m.future, shape: [T, m.C] }, yMean: scaling.yMean, yStd: scaling.yStd, trainOrigins, valOrigins }, onEpoch);
    const onAbort = () => handle.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    const r = await handle.promise.finally(() => signal?.removeEventListener("abort", onAbort));
    const trainSeconds = (performance.now() - started) / 1000;
    if (!r.models.length) return { config: { ...base, params: model as unknown as Record<string, unknown> }, onnx: new Uint8Array(), history: r.history, best: 0, trainSeconds, cancelled: true, files: {} };
    const onnx = writeEnergyGbdtOnnx({ model, pastDim: m.D, xgbModels: r.models, quantiles, yMean: scaling.yMean, yStd: scaling.yStd });
    const files: Record<string, string> = {};
    r.models.forEach((json, q) => (files[`xgboost-q${q}.json`] = json));
    return { config: { ...base, params: { ...model, bestRound: r.bestRound, trainRows: r.trainRows, features: r.features } }, onnx, history: r.history, best: r.bestRound, trainSeconds, cancelled: r.cancelled, files };
  }

  const model: EnergyNetSpec = {
    kind: opts.kind, lookback: L, horizon: H, pastDim: m.D, futureDim: m.C, quantiles: quantiles.length,
    hidden: opts.hidden ?? (opts.kind === "tft" ? 32 : 64), layers: 1, heads: 4, decoderDim: 8, projDim: 4, dropout: 0.1,
  };
  const z = (data: Float32Array, st: { mean: number[]; std: number[] }, cols: number) => Float32Array.from(data, (v, i) => (v - st.mean[i % cols]) / st.std[i % cols]);
  const handle = trainEnergyNet(
    {
      model,
      past: { data: z(m.past, ps, m.D), shape: [T, m.D] },
      future: { data: z(m.future, fs, m.C), shape: [T, m.C] },
      target: { data: Float32Array.from(m.target, (v) => (v - scaling.yMean) / scaling.yStd), shape: [T] },
      trainOrigins, valOrigins, quantiles,
      epochs: opts.epochs ?? 10, batchSize: opts.kind === "tft" ? 64 : 128, learningRate: opts.learningRate ?? 1e-3, seed: opts.seed ?? 0, threads: opts.threads ?? 1,
    },
    onEpoch,
  );
  const onAbort = () => handle.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  const r = await handle.promise.finally(() => signal?.removeEventListener("abort", onAbort));
  const trainSeconds = (performance.now() - started) / 1000;
  const config: ForecasterConfig = { ...base, params: { ...model, epochs: opts.epochs ?? 10, learningRate: opts.learningRate ?? 1e-3, stride, bestEpoch: r.bestEpoch } };
  if (!r.weights.length) return { config, onnx: new Uint8Array(), history: r.history, best: 0, trainSeconds, cancelled: true, files: {} };
  const onnx = writeEnergyNetOnnx({ model, weights: r.weights, scaling, quantiles });
  return { config, onnx, history: r.history, best: r.bestEpoch, trainSeconds, cancelled: r.cancelled, files: {} };
}

/** An ONNX session with its config: forecasts with onnxruntime-node (every inference runs ONNX). */
export class OnnxForecaster {
  private constructor(readonly config: ForecasterConfig, private readonly session: ort.InferenceSession) {}

  static async create(onnx: Uint8Array, config: ForecasterConfig): Promise<OnnxForecaster> {
    return new OnnxForecaster(config, await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 }));
  }

  /** Runs windows in one batch: past [n, L, D] and future [n, H, C] raw. Returns [n][q][h]. */
  async run(past: Float32Array, future: Float32Array, n: number): Promise<Float32Array> {
    const { lookback: L, horizon: H, pastDim: D, futureDim: C } = this.config;
    const out = await this.session.run({
      [PAST_INPUT]: new ort.Tensor("float32", past, [n, L, D]),
      [FUTURE_INPUT]: new ort.Tensor("float32", future, [n, H, C]),
    });
    return out[QUANTILES_OUTPUT].data as Float32Array;
  }

  /** Forecasts the H steps after `history` (its last L points) given the horizon's calendar and future covariates. */
  async forecast(history: LoadedSeries, future: FutureCovariates): Promise<QuantileForecast> {
    const { lookback: L, horizon: H, quantiles } = this.config;
    if (history.timestamps.length < L) throw new Error(`the forecast needs ${L} points of history, got ${history.timestamps.length}`);
    if (future.timestamps.length !== H) throw new Error(`this model forecasts ${H} steps`);
    const T = history.timestamps.length;
    const win = { ...history, timestamps: history.timestamps.subarray(T - L), values: history.values.subarray(T - L), flags: history.flags.subarray(T - L),
      covariates: history.covariates.map((c) => (c.kind === "numeric" ? { ...c, values: c.values.subarray(T - L) } : c)) };
    const m = buildMatrices(win, this.config, future);
    const y = await this.run(m.past, m.horizonFuture!, 1);
    const Q = quantiles.length;
    const pick = (q: number) => Float32Array.from({ length: H }, (_, h) => y[h * Q + q]);
    const lo = quantiles.indexOf(0.1), mid = quantiles.indexOf(0.5), hi = quantiles.indexOf(0.9);
    return { q10: pick(lo >= 0 ? lo : 0), q50: pick(mid >= 0 ? mid : Math.floor(Q / 2)), q90: pick(hi >= 0 ? hi : Q - 1) };
  }

  asForecaster(): Forecaster {
    return (history, future) => this.forecast(history, future);
  }
}
