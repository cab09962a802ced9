/**
 * Rolling-origin evaluation on a held-out tail. The last `fraction` of the points is the
 * test part; origins sit every `horizon` steps from its start; at each origin the forecaster
 * sees the `lookback` points before it and the future calendar features (plus covariates
 * with role "future") of the next `horizon` steps, and returns q10/q50/q90 for them.
 * All windows are scored together; points flagged DROPOUT or with a missing actual are not
 * scored. MASE's scale is the mean absolute one-day seasonal difference of the training part
 * (everything before the tail).
 *
 * The model engineer plugs a trained model in as a `Forecaster` (e.g. ONNX inference over
 * the history window) and calls evaluateOnTail with it; seasonalNaiveForecaster is the baseline.
 */
import {
  forecastMetrics,
  seasonalScale,
  type ForecastMetrics,
  type QuantileForecast,
} from "../../ml/forecast-metrics.js";
import { calendarFeatures, type CalendarFeatures } from "./calendar.js";
import { seasonalNaive, seasonSteps } from "./seasonal-naive.js";
import { loadSeries, sliceSeries, type CovariateSeries, type LoadedSeries } from "./series.js";
import { POINT_FLAGS } from "./types.js";

export interface FutureCovariates {
  /** Epoch ms of the `horizon` steps to forecast. */
  timestamps: Float64Array;
  calendar: CalendarFeatures;
  /** Only covariates known in advance (role "future"), sliced to the horizon. */
  covariates: CovariateSeries[];
}

export type Forecaster = (
  history: LoadedSeries,
  future: FutureCovariates,
) => QuantileForecast | Promise<QuantileForecast>;

export interface TailEvaluation {
  forecaster: string;
  lookback: number;
  horizon: number;
  season: number;
  fraction: number;
  trainPoints: number;
  testStartTs: number;
  windows: number;
  /** MASE scale (training part, season one day). */
  scale: number;
  metrics: ForecastMetrics;
  /** MAE per step ahead (1 … horizon). */
  maeByStep: number[];
}

export interface EvaluateOptions {
  fraction?: number;
  lookback: number;
  horizon: number;
  name?: string;
}

export const seasonalNaiveForecaster =
  (season: number): Forecaster =>
  (history, future) =>
    seasonalNaive(history.values, future.timestamps.length, season);

export async function evaluateSeriesOnTail(
  series: LoadedSeries,
  forecaster: Forecaster,
  opts: EvaluateOptions,
): Promise<TailEvaluation> {
  const { lookback: L, horizon: H } = opts;
  const fraction = opts.fraction ?? 0.2;
  const n = series.timestamps.length;
  if (!series.frequencySeconds) throw new Error("the series has no frequency");
  const season = seasonSteps(series.frequencySeconds);
  const split = n - Math.round(n * fraction);
  if (split < L || split < season + 1)
    throw new Error(`not enough history before the tail (${split} points; lookback ${L}, season ${season})`);

  const clean = Uint8Array.from(series.flags, (f) => (f & POINT_FLAGS.DROPOUT ? 0 : 1));
  const scale = seasonalScale(series.values.subarray(0, split), season, clean.subarray(0, split));

  const ys: number[] = [],
    q10: number[] = [],
    q50: number[] = [],
    q90: number[] = [],
    mask: number[] = [],
    step: number[] = [];
  let windows = 0;
  for (let o = split; o + H <= n; o += H) {
    const history = sliceSeries(series, o - L, o);
    const futureTs = series.timestamps.slice(o, o + H);
    const future: FutureCovariates = {
      timestamps: futureTs,
      calendar: calendarFeatures(futureTs),
      covariates: sliceSeries(series, o, o + H).covariates.filter((c) => c.role === "future"),
    };
    const f = await forecaster(history, future);
    if (f.q50.length !== H || f.q10.length !== H || f.q90.length !== H)
      throw new Error(`forecaster returned ${f.q50.length} steps, expected ${H}`);
    for (let h = 0; h < H; h++) {
      ys.push(series.values[o + h]);
      q10.push(f.q10[h]);
      q50.push(f.q50[h]);
      q90.push(f.q90[h]);
      mask.push(clean[o + h]);
      step.push(h);
    }
    windows++;
  }
  const metrics = forecastMetrics(ys, { q10, q50, q90 }, scale, mask);
  const sum = new Array<number>(H).fill(0),
    cnt = new Array<number>(H).fill(0);
  for (let i = 0; i < ys.length; i++) {
    if (!mask[i] || !Number.isFinite(ys[i])) continue;
    sum[step[i]] += Math.abs(q50[i] - ys[i]);
    cnt[step[i]]++;
  }
  return {
    forecaster: opts.name ?? "custom",
    lookback: L,
    horizon: H,
    season,
    fraction,
    trainPoints: split,
    testStartTs: series.timestamps[split],
    windows,
    scale,
    metrics,
    maeByStep: sum.map((s, h) => (cnt[h] ? s / cnt[h] : NaN)),
  };
}

/** Loads the asset (own or built-in) and evaluates `forecaster` on its tail. */
export async function evaluateOnTail(
  args: { assetId: number; userId: number; forecaster: Forecaster } & EvaluateOptions,
): Promise<TailEvaluation> {
  const series = await loadSeries({ assetId: args.assetId, userId: args.userId });
  return evaluateSeriesOnTail(series, args.forecaster, args);
}

/** The baseline row: seasonal naive (season one day), lookback one week, horizon one day by default. */
export async function evaluateSeasonalNaive(
  assetId: number,
  userId: number,
  opts: Partial<EvaluateOptions> = {},
): Promise<TailEvaluation> {
  const series = await loadSeries({ assetId, userId });
  if (!series.frequencySeconds) throw new Error("the series has no frequency");
  const season = seasonSteps(series.frequencySeconds);
  return evaluateSeriesOnTail(series, seasonalNaiveForecaster(season), {
    fraction: opts.fraction ?? 0.2,
    lookback: opts.lookback ?? 7 * season,
    horizon: opts.horizon ?? season,
    name: "seasonal naive",
  });
}
