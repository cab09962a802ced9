/**
 * Energy forecasters: dataset layout, training (native addon), split-conformal calibration and
 * ONNX inference.
 *
 * Layout (see native/energy.ts): past columns = [target, numeric past covariates, calendar
 * (5), numeric future covariates]; future columns = [calendar, numeric future covariates].
 * Categorical covariates are not used (documented limitation). Points flagged DROPOUT count as
 * missing (NaN) in inputs and targets.
 *
 * Split: the last `fraction` (default 20 %) of the points is the held-out tail (evaluateOnTail
 * scores it; training never sees it). Of the part before it, origins whose horizon ends in the
 * last 10 % (at least H points) form the validation part: early stopping (best epoch / round),
 * Auto's model choice (auto.ts) and the conformal calibration (calibration.ts) all use it; the
 * rest train. Scaling statistics come from the part before the tail.
 *
 * Quantiles: trained with the pinball loss; at inference the Q outputs are sorted (TopK in the
 * ONNX graph), so they never cross; the calibration offsets are added inside the graph and the
 * result sorted again.
 *
 * GBDT: XGBoost 1.7 has no quantile objective, so one booster per quantile with the custom
 * pinball gradient (grad = 1[y < ŷ] − q, hess = 1), tree_method hist, grow_policy lossguide,
 * max_leaves; one model for all H steps with the step h as a feature (fast on 2 cores).
 * Seasonal naive / mean / median: a graph that reads y one day back, or takes the mean or median of
 * the same time of day over up to 7 past days (writeSeasonalOnnx). They fit nothing, so their
 * conformal calibration uses every window before the tail (calibrationOrigins), not only validation.
 */
import * as ort from "onnxruntime-node";
import { quantileSorted } from "simple-statistics";
import {
  trainEnergyGbdt,
  trainEnergyNet,
  type EnergyEpoch,
  type EnergyModelKind,
  type EnergyNetSpec,
  type EnergyScaling,
  type GbdtSpec,
} from "../../../native/energy.js";
import {
  writeEnergyGbdtOnnx,
  writeEnergyNetOnnx,
  writeSeasonalOnnx,
  PAST_INPUT,
  FUTURE_INPUT,
  QUANTILES_OUTPUT,
  type QuantileCalibration,
} from "../../ml/onnx/energy-onnx.js";
import type { QuantileForecast } from "../../ml/forecast-metrics.js";
import { calendarFeatures, CALENDAR_FEATURE_NAMES } from "./calendar.js";
import { conformalOffsets, type CalibrationResult } from "./calibration.js";
import { BAND_MODE, calibrationScale, type BandMode } from "./band-scale.js";
import { seasonalPoint, unusualPoints, withoutUnusual } from "./unusual-points.js";
import type { FutureCovariates, Forecaster } from "./evaluate.js";
import { seasonSteps } from "./defaults.js";
import type { LoadedSeries } from "./series.js";
import { POINT_FLAGS } from "./types.js";
export const DEFAULT_QUANTILES = [0.1, 0.5, 0.9];

/** A trainable forecaster kind: the addon's four models, or seasonal naive / mean / median (no training). */
export type ForecastKind = EnergyModelKind | "seasonal-naive" | "seasonal-mean" | "seasonal-median";
export const SEASONAL_KINDS = ["seasonal-naive", "seasonal-mean", "seasonal-median"] as const;
export type SeasonalKind = (typeof SEASONAL_KINDS)[number];
/** A kind with nothing to fit (its point forecast reads past days). */
export function isSeasonalKind(kind: string): kind is SeasonalKind {
  return (SEASONAL_KINDS as readonly string[]).includes(kind);
}

export interface TrainOptions {
  kind: ForecastKind;
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
  /** GBDT: cap on training rows (origin × step pairs, sampled); default 100 000. */
  maxRows?: number;
  /** Cap on training windows for the nets (strided): LSTM 4000, TiDE 6000, TFT 2000 by default. */
  maxWindows?: number;
  threads?: number;
  /** false: keep the trained band as is (tests compare with and without). Default true. */
  calibrate?: boolean;
  /** The calibrated band's scale (band-scale.ts); default BAND_MODE. */
  band?: BandMode;
}

/** Everything inference needs besides the ONNX file (stored as config.json). */
export interface ForecasterConfig {
  kind: ForecastKind;
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
  /** Split-conformal offsets (inside the ONNX graph too); null when not calibrated. */
  calibration: (CalibrationResult & { part: CalibrationPart; leftOut?: number }) | null;
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
  /** The same model's graph without the calibration offsets (benches show the band before and after). */
  rawOnnx?: Uint8Array;
}

/** A fitted candidate before calibration: `write` exports its graph with the given offsets. */
export interface FittedCandidate extends Omit<TrainedForecaster, "onnx"> {
  /** Has a model (a cancelled net keeps its best epoch so far). */
  usable: boolean;
  write: (calibration: QuantileCalibration | null) => Uint8Array;
}

function numericCovs(series: LoadedSeries, role: "past" | "future") {
  return series.covariates.filter(
    (c): c is Extract<typeof c, { kind: "numeric" }> => c.kind === "numeric" && c.role === role,
  );
}

/** Past and future matrices of a (slice of a) series, raw; `futureTs` extends the calendar beyond it. */
export function buildMatrices(
  series: LoadedSeries,
  cfg: Pick<ForecasterConfig, "pastCovariates" | "futureCovariates">,
  extra?: FutureCovariates,
) {
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
  const mean: number[] = [],
    std: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0,
      s2 = 0,
      n = 0;
    for (let r = 0; r < rows; r++) {
      const v = data[r * cols + c];
      if (Number.isFinite(v)) {
        s += v;
        s2 += v * v;
        n++;
      }
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

/** The data, split and statistics every candidate of one training request shares. */
export interface PreparedTraining {
  series: LoadedSeries;
  L: number;
  H: number;
  quantiles: number[];
  fraction: number;
  season: number;
  T: number;
  trainPoints: number;
  valStart: number;
  m: ReturnType<typeof buildMatrices>;
  ps: { mean: number[]; std: number[] };
  fs: { mean: number[]; std: number[] };
  scaling: EnergyScaling;
  pastCovariates: string[];
  futureCovariates: string[];
  allTrain: number[];
  valOrigins: Int32Array;
  /** Unusual points before the tail (unusual-points.ts): left out of Auto's choice and the calibration. */
  unusual: Uint8Array;
}

export function prepareTraining(
  series: LoadedSeries,
  opts: Pick<TrainOptions, "lookback" | "horizon" | "quantiles" | "fraction">,
): PreparedTraining {
  if (!series.frequencySeconds) throw new Error("the series has no frequency");
  const L = opts.lookback,
    H = opts.horizon;
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
  const scaling: EnergyScaling = {
    pastMean: ps.mean,
    pastStd: ps.std,
    futureMean: fs.mean,
    futureStd: fs.std,
    yMean: ps.mean[0],
    yStd: ps.std[0],
  };
  const allTrain = range(L, valStart - H);
  const allVal = range(Math.max(valStart, L), trainPoints - H);
  if (allTrain.length < 10 || allVal.length < 1)
    throw new Error(
      `not enough data before the held-out tail for lookback ${L} and horizon ${H} (${trainPoints} points)`,
    );
  const valStride = Math.max(1, Math.ceil(allVal.length / 400));
  const valOrigins = Int32Array.from(allVal.filter((_, i) => i % valStride === 0));
  return {
    series,
    L,
    H,
    quantiles,
    fraction,
    season,
    T,
    trainPoints,
    valStart,
    m,
    ps,
    fs,
    scaling,
    pastCovariates,
    futureCovariates,
    allTrain,
    valOrigins,
    unusual: unusualPoints(m.target, { season, lookback: L, valStart, trainPoints }),
  };
}

function baseConfig(p: PreparedTraining, kind: ForecastKind, trainWindows: number): Omit<ForecasterConfig, "params"> {
  return {
    kind,
    lookback: p.L,
    horizon: p.H,
    quantiles: p.quantiles,
    frequencySeconds: p.series.frequencySeconds!,
    season: p.season,
    pastCovariates: p.pastCovariates,
    futureCovariates: p.futureCovariates,
    calendar: [...CALENDAR_FEATURE_NAMES],
    pastDim: p.m.D,
    futureDim: p.m.C,
    scaling: p.scaling,
    split: {
      trainPoints: p.trainPoints,
      valStart: p.valStart,
      fraction: p.fraction,
      trainWindows,
      valWindows: p.valOrigins.length,
    },
    calibration: null,
  };
}

/** Trains one candidate (uncalibrated). */
export async function fitCandidate(
  p: PreparedTraining,
  opts: TrainOptions,
  onEpoch?: (e: EnergyEpoch) => void,
  signal?: AbortSignal,
): Promise<FittedCandidate> {
  const { L, H, m, quantiles, scaling, season, T } = p;
  const started = performance.now();
  const seconds = () => (performance.now() - started) / 1000;
  if (isSeasonalKind(opts.kind)) {
    // seasonal mean / median: up to 7 past days the lookback holds (at least 2).
    const days = opts.kind === "seasonal-naive" ? 1 : Math.min(7, Math.floor(L / season));
    if (days < 1 || (opts.kind !== "seasonal-naive" && days < 2))
      throw new Error(
        `${opts.kind} needs a lookback of at least ${opts.kind === "seasonal-naive" ? 1 : 2} day(s) (${season} steps each), got ${L}`,
      );
    const statistic = opts.kind === "seasonal-median" ? "median" : "mean";
    // Spread of the band: quantiles of the one-season-ahead errors before the validation part.
    const errors: number[] = [];
    const known: number[] = [];
    for (let t = days * season; t < p.valStart; t++) {
      known.length = 0;
      for (let k = 1; k <= days; k++) known.push(m.target[t - k * season]);
      const e = m.target[t] - seasonalPoint(known, statistic);
      if (Number.isFinite(e)) errors.push(e);
    }
    if (errors.length < 2) throw new Error(`${opts.kind} needs ${days + 1} days of data before the validation part`);
    errors.sort((a, b) => a - b);
    const spread = quantiles.map((q) => quantileSorted(errors, q));
    const params = { season, days, statistic, spread };
    const write = (calibration: QuantileCalibration | null) =>
      writeSeasonalOnnx({
        lookback: L,
        horizon: H,
        season,
        days,
        statistic,
        pastDim: m.D,
        futureDim: m.C,
        quantiles,
        spread,
        calibration,
      });
    write(null); // checks the lookback reaches one season back
    return {
      config: { ...baseConfig(p, opts.kind, 0), params },
      write,
      history: [],
      best: 0,
      trainSeconds: seconds(),
      cancelled: false,
      usable: true,
      files: {},
    };
  }
  const maxWindows = opts.maxWindows ?? { gbdt: Infinity, lstm: 4000, tide: 6000, tft: 2000 }[opts.kind];
  const stride = Math.max(1, Math.ceil(p.allTrain.length / maxWindows));
  const isNet = opts.kind !== "gbdt";
  const trainOrigins = Int32Array.from(isNet ? p.allTrain.filter((_, i) => i % stride === 0) : p.allTrain);
  const base = baseConfig(p, opts.kind, trainOrigins.length);
  const valOrigins = p.valOrigins;

  if (opts.kind === "gbdt") {
    const model: GbdtSpec = {
      lookback: L,
      horizon: H,
      futureDim: m.C,
      season,
      recentLags: Math.min(16, L),
      seasonalDays: Math.max(0, Math.min(7, Math.floor(L / season))),
      trees: opts.epochs ?? 300,
      learningRate: opts.learningRate ?? 0.3,
      maxLeaves: opts.maxLeaves ?? 31,
      maxRows: opts.maxRows ?? 100_000,
      earlyStopping: 40,
      seed: opts.seed ?? 0,
      threads: opts.threads ?? 2,
      quantiles,
      minChildWeight: 20,
    };
    const handle = trainEnergyGbdt(
      {
        model,
        target: { data: m.target, shape: [T] },
        future: { data: m.future, shape: [T, m.C] },
        yMean: scaling.yMean,
        yStd: scaling.yStd,
        trainOrigins,
        valOrigins,
      },
      onEpoch,
    );
    const onAbort = () => handle.cancel();
    signal?.addEventListener("abort", onAbort, { once: true });
    const r = await handle.promise.finally(() => signal?.removeEventListener("abort", onAbort));
    const write = (calibration: QuantileCalibration | null) =>
      writeEnergyGbdtOnnx({
        model,
        pastDim: m.D,
        xgbModels: r.models,
        quantiles,
        yMean: scaling.yMean,
        yStd: scaling.yStd,
        calibration,
      });
    const files: Record<string, string> = {};
    r.models.forEach((json, q) => (files[`xgboost-q${q}.json`] = json));
    return {
      config: { ...base, params: { ...model, bestRound: r.bestRound, trainRows: r.trainRows, features: r.features } },
      write,
      history: r.history,
      best: r.bestRound,
      trainSeconds: seconds(),
      cancelled: r.cancelled,
      usable: r.models.length > 0,
      files,
    };
  }

  const model: EnergyNetSpec = {
    kind: opts.kind,
    lookback: L,
    horizon: H,
    pastDim: m.D,
    futureDim: m.C,
    quantiles: quantiles.length,
    hidden: opts.hidden ?? (opts.kind === "tft" ? 32 : 64),
    layers: 1,
    heads: 4,
    decoderDim: 8,
    projDim: 4,
    dropout: 0.1,
  };
  const z = (data: Float32Array, st: { mean: number[]; std: number[] }, cols: number) =>
    Float32Array.from(data, (v, i) => (v - st.mean[i % cols]) / st.std[i % cols]);
  const handle = trainEnergyNet(
    {
      model,
      past: { data: z(m.past, p.ps, m.D), shape: [T, m.D] },
      future: { data: z(m.future, p.fs, m.C), shape: [T, m.C] },
      target: { data: Float32Array.from(m.target, (v) => (v - scaling.yMean) / scaling.yStd), shape: [T] },
      trainOrigins,
      valOrigins,
      quantiles,
      epochs: opts.epochs ?? 10,
      batchSize: opts.kind === "tft" ? 64 : 128,
      learningRate: opts.learningRate ?? 1e-3,
      seed: opts.seed ?? 0,
      threads: opts.threads ?? 1,
    },
    onEpoch,
  );
  const onAbort = () => handle.cancel();
  signal?.addEventListener("abort", onAbort, { once: true });
  const r = await handle.promise.finally(() => signal?.removeEventListener("abort", onAbort));
  const config: ForecasterConfig = {
    ...base,
    params: {
      ...model,
      epochs: opts.epochs ?? 10,
      learningRate: opts.learningRate ?? 1e-3,
      stride,
      bestEpoch: r.bestEpoch,
    },
  };
  const write = (calibration: QuantileCalibration | null) =>
    writeEnergyNetOnnx({ model, weights: r.weights, scaling, quantiles, calibration });
  return {
    config,
    write,
    history: r.history,
    best: r.bestEpoch,
    trainSeconds: seconds(),
    cancelled: r.cancelled,
    usable: r.weights.length > 0,
    files: {},
  };
}

/** A graph's raw forecasts [n × H × Q] at `origins` (windows from the prepared matrices), and the actuals [n × H]. */
export async function windowForecasts(
  onnx: Uint8Array,
  config: ForecasterConfig,
  p: PreparedTraining,
  origins: ArrayLike<number>,
) {
  const f = await OnnxForecaster.create(onnx, config);
  const { L, H, m } = p;
  const n = origins.length;
  const past = new Float32Array(n * L * m.D),
    future = new Float32Array(n * H * m.C),
    actual = new Float32Array(n * H);
  for (let i = 0; i < n; i++) {
    const o = origins[i];
    past.set(m.past.subarray((o - L) * m.D, o * m.D), i * L * m.D);
    future.set(m.future.subarray(o * m.C, (o + H) * m.C), i * H * m.C);
    actual.set(m.target.subarray(o, o + H), i * H);
  }
  return { forecast: await f.run(past, future, n), actual };
}

/**
 * Where a version's conformal scores come from: "validation" (a fitted model: the part it never
 * trained on), or "before the tail" (seasonal naive / mean / median fit nothing, so every window
 * before the held-out tail is out of sample: up to CALIBRATION_ORIGINS origins spread over it).
 */
export type CalibrationPart = "validation" | "before the tail";
const CALIBRATION_ORIGINS = 600;

export function calibrationOrigins(
  p: PreparedTraining,
  kind: ForecastKind,
): { part: CalibrationPart; origins: Int32Array } {
  if (!isSeasonalKind(kind)) return { part: "validation", origins: p.valOrigins };
  const all = range(p.L, p.trainPoints - p.H);
  const stride = Math.max(1, Math.ceil(all.length / CALIBRATION_ORIGINS));
  return { part: "before the tail", origins: Int32Array.from(all.filter((_, i) => i % stride === 0)) };
}

/** Calibrates a fitted candidate on its calibration part (calibrationOrigins) and exports its final graph. */
export async function calibrateCandidate(
  p: PreparedTraining,
  c: FittedCandidate,
  calibrate = true,
  band: BandMode = BAND_MODE,
): Promise<TrainedForecaster> {
  const raw = c.write(null);
  if (!calibrate) return { ...c, onnx: raw };
  const { part, origins } = calibrationOrigins(p, c.config.kind);
  const w = await windowForecasts(raw, c.config, p, origins);
  const { actual, leftOut } = withoutUnusual(w.actual, origins, p.H, p.unusual);
  const scale = calibrationScale(p, origins, isSeasonalKind(c.config.kind), band);
  const centre = scale?.band.median !== undefined ? "median" : "quantile";
  const cal = conformalOffsets(actual, w.forecast, p.quantiles, scale?.perPoint, centre);
  const applied = scale ? { offsets: cal.offsets, scale: scale.band } : { offsets: cal.offsets };
  return {
    ...c,
    config: { ...c.config, calibration: { ...cal, ...applied, part, leftOut } },
    onnx: c.write(applied),
    rawOnnx: raw,
  };
}

export async function trainForecaster(
  series: LoadedSeries,
  opts: TrainOptions,
  onEpoch?: (e: EnergyEpoch) => void,
  signal?: AbortSignal,
): Promise<TrainedForecaster> {
  const p = prepareTraining(series, opts);
  const c = await fitCandidate(p, opts, onEpoch, signal);
  if (c.cancelled || !c.usable) return { ...c, onnx: new Uint8Array() };
  return calibrateCandidate(p, c, opts.calibrate ?? true, opts.band);
}

/** An ONNX session with its config: forecasts with onnxruntime-node (every inference runs ONNX). */
export class OnnxForecaster {
  private constructor(
    readonly config: ForecasterConfig,
    private readonly session: ort.InferenceSession,
  ) {}

  static async create(onnx: Uint8Array, config: ForecasterConfig): Promise<OnnxForecaster> {
    return new OnnxForecaster(
      config,
      await ort.InferenceSession.create(onnx, { intraOpNumThreads: 1, interOpNumThreads: 1 }),
    );
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
    if (history.timestamps.length < L)
      throw new Error(`the forecast needs ${L} points of history, got ${history.timestamps.length}`);
    if (future.timestamps.length !== H) throw new Error(`this model forecasts ${H} steps`);
    const T = history.timestamps.length;
    const win = {
      ...history,
      timestamps: history.timestamps.subarray(T - L),
      values: history.values.subarray(T - L),
      flags: history.flags.subarray(T - L),
      covariates: history.covariates.map((c) =>
        c.kind === "numeric" ? { ...c, values: c.values.subarray(T - L) } : c,
      ),
    };
    const m = buildMatrices(win, this.config, future);
    const y = await this.run(m.past, m.horizonFuture!, 1);
    const Q = quantiles.length;
    const pick = (q: number) => Float32Array.from({ length: H }, (_, h) => y[h * Q + q]);
    const lo = quantiles.indexOf(0.1),
      mid = quantiles.indexOf(0.5),
      hi = quantiles.indexOf(0.9);
    return {
      q10: pick(lo >= 0 ? lo : 0),
      q50: pick(mid >= 0 ? mid : Math.floor(Q / 2)),
      q90: pick(hi >= 0 ? hi : Q - 1),
    };
  }

  asForecaster(): Forecaster {
    return (history, future) => this.forecast(history, future);
  }
}
