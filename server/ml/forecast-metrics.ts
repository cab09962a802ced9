/**
 * Point and interval metrics for forecasts (pure; arrays of equal length, one entry per
 * forecast point). Points whose actual value is not finite, or that `mask` excludes, are skipped.
 *
 * Definitions:
 *   MAE   = mean |ŷ − y|                RMSE = sqrt(mean (ŷ − y)²)
 *   sMAPE = mean 2|ŷ − y| / (|ŷ| + |y|) over points where |ŷ| + |y| > 0; a fraction in [0, 2]
 *           (the UI shows it × 100 as %)
 *   MASE  = MAE / scale, scale = in-sample mean absolute seasonal difference of the TRAINING
 *           part, mean |y_t − y_{t−s}| with s = one day (86400 / frequency steps): the error of a
 *           one-season-ahead seasonal-naive forecast on the training data. MASE < 1 beats that.
 *   coverage = fraction of y inside [q10, q90];   width = mean (q90 − q10)
 *   pinball(τ) = mean max(τ (y − q), (τ − 1)(y − q))
 */

export type Series = ArrayLike<number>;

function keep(y: Series, i: number, mask?: ArrayLike<boolean | number>): boolean {
  return Number.isFinite(y[i]) && (!mask || !!mask[i]);
}

export function mae(y: Series, yhat: Series, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < y.length; i++)
    if (keep(y, i, mask)) {
      s += Math.abs(yhat[i] - y[i]);
      n++;
    }
  return n ? s / n : NaN;
}

export function rmse(y: Series, yhat: Series, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < y.length; i++)
    if (keep(y, i, mask)) {
      s += (yhat[i] - y[i]) ** 2;
      n++;
    }
  return n ? Math.sqrt(s / n) : NaN;
}

/** Symmetric MAPE as a fraction (0.25 = 25 %); points with |ŷ| + |y| = 0 are left out. */
export function smape(y: Series, yhat: Series, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!keep(y, i, mask)) continue;
    const d = Math.abs(yhat[i]) + Math.abs(y[i]);
    if (d > 0) {
      s += (2 * Math.abs(yhat[i] - y[i])) / d;
      n++;
    }
  }
  return n ? s / n : NaN;
}

/** mean |y_t − y_{t−season}| over t where both are finite (and kept by mask): the MASE scale. */
export function seasonalScale(train: Series, season: number, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let t = season; t < train.length; t++) {
    if (!keep(train, t, mask) || !keep(train, t - season, mask)) continue;
    s += Math.abs(train[t] - train[t - season]);
    n++;
  }
  return n ? s / n : NaN;
}

export function mase(y: Series, yhat: Series, scale: number, mask?: ArrayLike<boolean | number>): number {
  return scale > 0 ? mae(y, yhat, mask) / scale : NaN;
}

export function intervalCoverage(y: Series, lo: Series, hi: Series, mask?: ArrayLike<boolean | number>): number {
  let inside = 0,
    n = 0;
  for (let i = 0; i < y.length; i++)
    if (keep(y, i, mask)) {
      if (y[i] >= lo[i] && y[i] <= hi[i]) inside++;
      n++;
    }
  return n ? inside / n : NaN;
}

export function meanIntervalWidth(y: Series, lo: Series, hi: Series, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < y.length; i++)
    if (keep(y, i, mask)) {
      s += hi[i] - lo[i];
      n++;
    }
  return n ? s / n : NaN;
}

export function pinball(y: Series, q: Series, tau: number, mask?: ArrayLike<boolean | number>): number {
  let s = 0,
    n = 0;
  for (let i = 0; i < y.length; i++) {
    if (!keep(y, i, mask)) continue;
    const d = y[i] - q[i];
    s += Math.max(tau * d, (tau - 1) * d);
    n++;
  }
  return n ? s / n : NaN;
}

export interface QuantileForecast {
  q10: Series;
  q50: Series;
  q90: Series;
}

export interface ForecastMetrics {
  n: number;
  mae: number;
  rmse: number;
  /** fraction; × 100 for % */
  smape: number;
  mase: number;
  /** fraction of y within [q10, q90] (nominal 0.8) */
  coverage: number;
  intervalWidth: number;
  pinball: { q10: number; q50: number; q90: number };
}

/** Every metric at once; `scale` is seasonalScale() of the training part. */
export function forecastMetrics(
  y: Series,
  f: QuantileForecast,
  scale: number,
  mask?: ArrayLike<boolean | number>,
): ForecastMetrics {
  let n = 0;
  for (let i = 0; i < y.length; i++) if (keep(y, i, mask)) n++;
  return {
    n,
    mae: mae(y, f.q50, mask),
    rmse: rmse(y, f.q50, mask),
    smape: smape(y, f.q50, mask),
    mase: mase(y, f.q50, scale, mask),
    coverage: intervalCoverage(y, f.q10, f.q90, mask),
    intervalWidth: meanIntervalWidth(y, f.q10, f.q90, mask),
    pinball: {
      q10: pinball(y, f.q10, 0.1, mask),
      q50: pinball(y, f.q50, 0.5, mask),
      q90: pinball(y, f.q90, 0.9, mask),
    },
  };
}
