/**
 * Seasonal-naive forecaster: ŷ[n+h] = y[n+h − k·s] with k the smallest whole number of
 * seasons reaching back into the history (s = one day = 86400 / frequency steps). The
 * 10–90 % band adds the 10 % / 90 % empirical quantiles of the history's seasonal
 * differences y_t − y_{t−s}, widened by √k for horizons beyond one season.
 * This is the evaluation baseline (its band from the window it is given). A seasonal-naive model
 * VERSION (forecasting.ts, kind "seasonal-naive") is an ONNX graph with the same point forecast,
 * its spread fixed from the training part, and the conformal calibration like every other model.
 */
import { quantileSorted } from "simple-statistics";
import type { QuantileForecast } from "../../ml/forecast-metrics.js";

export { seasonSteps } from "./defaults.js";

export function seasonalNaive(
  history: ArrayLike<number>,
  horizon: number,
  season: number,
): { q10: Float32Array; q50: Float32Array; q90: Float32Array } {
  const n = history.length;
  if (n < season) throw new Error(`seasonal naive needs at least one season of history (${season} steps), got ${n}`);
  const diffs: number[] = [];
  for (let t = season; t < n; t++) {
    const d = history[t] - history[t - season];
    if (Number.isFinite(d)) diffs.push(d);
  }
  diffs.sort((a, b) => a - b);
  const lo = diffs.length ? quantileSorted(diffs, 0.1) : 0;
  const hi = diffs.length ? quantileSorted(diffs, 0.9) : 0;
  const q10 = new Float32Array(horizon),
    q50 = new Float32Array(horizon),
    q90 = new Float32Array(horizon);
  for (let h = 0; h < horizon; h++) {
    const k = Math.floor(h / season) + 1;
    let idx = n + h - k * season;
    // A missing value one season back: look further back, season by season.
    while (idx >= 0 && !Number.isFinite(history[idx])) idx -= season;
    const base = idx >= 0 ? history[idx] : NaN;
    const widen = Math.sqrt(k);
    q50[h] = base;
    q10[h] = base + lo * widen;
    q90[h] = base + hi * widen;
  }
  return { q10, q50, q90 } satisfies QuantileForecast;
}
