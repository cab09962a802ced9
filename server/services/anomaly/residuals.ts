/**
 * One-step-ahead forecasts of a version's ONNX model over a series: the forecast for point i
 * comes from the origin just before it (the `lookback` points i−L … i−1) and is the first step
 * of the model's H-step output, so every point has its own forecast from data that precedes it.
 * The same function serves batch detection (the whole stored series or a file) and real-time
 * scoring (the lookback buffer + the posted points), so both see identical windows:
 *  - past rows come from forecasting.ts `buildMatrices` (dropout-flagged values count as NaN);
 *  - the horizon's timestamps are t_i + h·frequency (h = 0 … H−1) with their calendar features;
 *    future covariates are the point's own at h = 0 and unknown (NaN) beyond it, in both modes.
 * Points with fewer than L points before them are not forecast (NaN).
 */
import { calendarFeatures } from "../energy/calendar.js";
import { buildMatrices, type OnnxForecaster } from "../energy/forecasting.js";
import type { LoadedSeries } from "../energy/series.js";

export interface PointForecasts {
  q10: Float32Array;
  q50: Float32Array;
  q90: Float32Array;
}

export const FORECAST_BATCH = 256;

function quantileIndex(quantiles: number[], q: number, fallback: number): number {
  const i = quantiles.findIndex((x) => Math.abs(x - q) < 1e-9);
  return i >= 0 ? i : fallback;
}

/** Forecasts points [from, to) of `series` (indices); NaN where there is no full lookback. */
export async function oneStepForecasts(
  f: OnnxForecaster,
  series: LoadedSeries,
  from = 0,
  to = series.timestamps.length,
  onBatch?: (done: number, total: number) => void | Promise<void>,
): Promise<PointForecasts> {
  const { lookback: L, horizon: H, pastDim: D, futureDim: C, quantiles, frequencySeconds } = f.config;
  const n = Math.max(0, to - from);
  const out: PointForecasts = {
    q10: new Float32Array(n).fill(NaN),
    q50: new Float32Array(n).fill(NaN),
    q90: new Float32Array(n).fill(NaN),
  };
  const m = buildMatrices(series, f.config);
  if (m.D !== D || m.C !== C)
    throw new Error(`the series' columns (${m.D} past, ${m.C} future) do not match the model's (${D}, ${C})`);
  const Q = quantiles.length;
  const i10 = quantileIndex(quantiles, 0.1, 0),
    i50 = quantileIndex(quantiles, 0.5, Math.floor(Q / 2)),
    i90 = quantileIndex(quantiles, 0.9, Q - 1);
  const nCal = f.config.calendar.length;
  const stepMs = frequencySeconds * 1000;
  const first = Math.max(from, L);
  const total = Math.max(0, to - first);
  for (let b = first; b < to; b += FORECAST_BATCH) {
    const k = Math.min(FORECAST_BATCH, to - b);
    const past = new Float32Array(k * L * D);
    const future = new Float32Array(k * H * C).fill(NaN);
    for (let j = 0; j < k; j++) {
      const i = b + j;
      past.set(m.past.subarray((i - L) * D, i * D), j * L * D);
      const ts = Float64Array.from({ length: H }, (_, h) => series.timestamps[i] + h * stepMs);
      const cal = calendarFeatures(ts).values;
      for (let h = 0; h < H; h++) for (let c = 0; c < nCal; c++) future[(j * H + h) * C + c] = cal[c][h];
      // The point's own future covariates at h = 0 (the columns after the calendar).
      for (let c = nCal; c < C; c++) future[j * H * C + c] = m.future[i * C + c];
    }
    const y = await f.run(past, future, k);
    for (let j = 0; j < k; j++) {
      const o = j * H * Q; // step 0 of window j
      out.q10[b + j - from] = y[o + i10];
      out.q50[b + j - from] = y[o + i50];
      out.q90[b + j - from] = y[o + i90];
    }
    await onBatch?.(b + k - first, total);
  }
  return out;
}
