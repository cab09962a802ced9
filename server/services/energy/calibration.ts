/**
 * Split-conformal calibration of a quantile forecaster (conformalised quantile regression,
 * one-sided per quantile). On a calibration part that training never fitted, for each quantile
 * τ ≠ 0.5 the scores s_i = y_i − q̂_τ(x_i) are sorted and the offset is the score of rank
 * ⌈(n + 1)τ⌉ (τ > 0.5) or ⌊(n + 1)τ⌋ (τ < 0.5), so that P(y ≤ q̂_τ + offset) ≈ τ on exchangeable
 * data: the 10–90 % band then holds ≈ 80 % of actuals. The median is left as trained (offset 0).
 * The offsets are added inside the exported ONNX graph (server/ml/onnx/energy-onnx.ts), so every
 * path that runs a version (forecast page, CSV, batch detection, real-time scoring, the file a
 * user downloads) gives the same calibrated quantiles.
 *
 * Adaptive (normalised) band: with a per-point scale s_i (band-scale.ts: computed from the forecast's
 * input window), the scores are (y_i − q̂_τ(x_i)) / s_i and the band is q̂_τ + offset_τ · s, so its
 * width follows the volatility of the recent window instead of staying at the calibration part's.
 */
import type { BandScale } from "./band-scale.js";

export interface CalibrationResult {
  /** Per quantile: raw target units, or units of the band scale when `scale` is set. */
  offsets: number[];
  /** The adaptive band's scale (band-scale.ts); absent: a fixed band. */
  scale?: BandScale;
  /** Scored points (windows × steps with a finite actual). */
  n: number;
  /** Share of calibration actuals inside [q10, q90] before and after the offsets. */
  coverageBefore: number;
  coverageAfter: number;
}

/**
 * `actual` [n × H] and `forecast` [n × H × Q] (ascending quantiles), both raw; `scales` [n × H]
 * (optional): each point's band scale (> 0), the offsets are then in its units; `centre`
 * "median": every quantile's score is taken against the median forecast (the band is
 * q̂_0.5 + offset_τ · s). Points whose actual is not finite are skipped.
 */
export function conformalOffsets(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  quantiles: number[],
  scales?: ArrayLike<number>,
  centre: "median" | "quantile" = "quantile",
): CalibrationResult {
  const sc = (i: number) => (scales ? scales[i] : 1);
  const mid = quantiles.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
  if (centre === "median" && mid < 0) throw new Error("a band centred on the median needs the 0.5 quantile");
  const base = (i: number, q: number) => forecast[i * quantiles.length + (centre === "median" ? mid : q)];
  const Q = quantiles.length;
  const scores = quantiles.map(() => [] as number[]);
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i];
    if (!Number.isFinite(y)) continue;
    for (let q = 0; q < Q; q++) {
      const f = base(i, q);
      if (Number.isFinite(f)) scores[q].push((y - f) / sc(i));
    }
  }
  const n = scores[0]?.length ?? 0;
  if (n < 20) throw new Error(`calibration needs at least 20 scored points, got ${n}`);
  const offsets = quantiles.map((tau, q) => {
    if (Math.abs(tau - 0.5) < 1e-9) return 0;
    const s = scores[q].sort((a, b) => a - b);
    const m = s.length;
    const rank = tau > 0.5 ? Math.min(m, Math.ceil((m + 1) * tau)) : Math.max(1, Math.floor((m + 1) * tau));
    return s[rank - 1];
  });
  const lo = quantiles.findIndex((t) => Math.abs(t - 0.1) < 1e-9),
    hi = quantiles.findIndex((t) => Math.abs(t - 0.9) < 1e-9);
  const cover = (after: boolean) => {
    let inside = 0,
      k = 0;
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i];
      if (!Number.isFinite(y)) continue;
      k++;
      const a = after ? base(i, lo) + offsets[lo] * sc(i) : forecast[i * Q + lo],
        b = after ? base(i, hi) + offsets[hi] * sc(i) : forecast[i * Q + hi];
      if (y >= Math.min(a, b) && y <= Math.max(a, b)) inside++;
    }
    return k ? inside / k : NaN;
  };
  return { offsets, n, coverageBefore: cover(false), coverageAfter: cover(true) };
}
