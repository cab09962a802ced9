/**
 * Split-conformal calibration of a quantile forecaster (conformalised quantile regression,
 * one-sided per quantile). On a calibration part that training never fitted, for each quantile
 * τ ≠ 0.5 the scores s_i = y_i − q̂_τ(x_i) are sorted and the offset is the score of rank
 * ⌈(n + 1)τ⌉ (τ > 0.5) or ⌊(n + 1)τ⌋ (τ < 0.5), so that P(y ≤ q̂_τ + offset) ≈ τ on exchangeable
 * data: the 10–90 % band then holds ≈ 80 % of actuals. The median is left as trained (offset 0).
 * The offsets are added inside the exported ONNX graph (server/ml/onnx/energy-onnx.ts), so every
 * path that runs a version (forecast page, CSV, batch detection, real-time scoring, the file a
 * user downloads) gives the same calibrated quantiles.
 */
export interface CalibrationResult {
  /** Per quantile, raw target units. */
  offsets: number[];
  /** Scored points (windows × steps with a finite actual). */
  n: number;
  /** Share of calibration actuals inside [q10, q90] before and after the offsets. */
  coverageBefore: number;
  coverageAfter: number;
}

/**
 * `actual` [n × H] and `forecast` [n × H × Q] (ascending quantiles), both raw. Points whose
 * actual is not finite are skipped.
 */
export function conformalOffsets(
  actual: ArrayLike<number>,
  forecast: ArrayLike<number>,
  quantiles: number[],
): CalibrationResult {
  const Q = quantiles.length;
  const scores = quantiles.map(() => [] as number[]);
  for (let i = 0; i < actual.length; i++) {
    const y = actual[i];
    if (!Number.isFinite(y)) continue;
    for (let q = 0; q < Q; q++) {
      const f = forecast[i * Q + q];
      if (Number.isFinite(f)) scores[q].push(y - f);
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
  const cover = (dlo: number, dhi: number) => {
    let inside = 0,
      k = 0;
    for (let i = 0; i < actual.length; i++) {
      const y = actual[i];
      if (!Number.isFinite(y)) continue;
      k++;
      if (y >= forecast[i * Q + lo] + dlo && y <= forecast[i * Q + hi] + dhi) inside++;
    }
    return k ? inside / k : NaN;
  };
  return { offsets, n, coverageBefore: cover(0, 0), coverageAfter: cover(offsets[lo], offsets[hi]) };
}
