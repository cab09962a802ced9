/**
 * The local scale of the adaptive (normalised) conformal band. The calibrated band of a version is
 * q̂_τ + offset_τ · s, where s is computed from the forecast's own input window (the lookback's
 * target values): the mean absolute difference |y_t − y_{t−lag}| over the window (missing values
 * skipped). A window that moves more than usual gets a wider band, a quiet one a narrower band, in
 * every path at once, because every path runs the same ONNX graph and the graph computes s from
 * its "past" input (server/ml/onnx/energy-onnx.ts, bandScaleNodes). calibration.ts divides the
 * conformal scores by the same s.
 *
 * BAND_MODE (the product default) names the lag and what the band is centred on:
 *  - lag "season" (one day back, when the lookback holds more than a day; otherwise one step) or
 *    "step" (one step back);
 *  - centre "median": the band is q̂_0.5 + offset_τ · s (normalised conformal: scores
 *    (y − q̂_0.5) / s), the model's own q10/q90 are not used; "quantile": q̂_τ + offset_τ · s
 *    (normalised conformalised quantile regression: scores (y − q̂_τ) / s), which keeps the
 *    model's band and scales only the correction.
 *  - centre "kind" (the default): "median" for the seasonal models (their trained spread is a
 *    constant from the training errors, so only the scaled band follows the volatility),
 *    "quantile" for the fitted ones (GBDT and the nets learn a band that already moves with their
 *    inputs; the scale corrects it). Chosen on the dev series of bench/energy-panel
 *    (bench/energy-panel/band-explore.ts, README.md there).
 *  - "fixed": the offsets of plain split-conformal calibration (raw units), no scale.
 * A window with no finite pair takes `ref` (the median scale of the calibration windows); s is
 * never below `floor` (BAND_SCALE_FLOOR × ref), so a flat stretch does not close the band.
 */
import type { PreparedTraining } from "./forecasting.js";

export interface BandScale {
  /** Steps between the differenced values. */
  lag: number;
  /** Median s over the calibration windows (raw target units). */
  ref: number;
  /** Lower bound on s (raw target units). */
  floor: number;
  /** Index of the median quantile when the band is centred on it ("median-…" modes). */
  median?: number;
}

export type BandMode = "fixed" | `${"median" | "quantile" | "kind"}-${"season" | "step"}`;
export const BAND_MODES: BandMode[] = [
  "fixed",
  "median-season",
  "median-step",
  "quantile-season",
  "quantile-step",
  "kind-season",
  "kind-step",
];
/** The product default (and bench/energy-panel's): chosen on the dev series, see bench/energy-panel/README.md. */
export const BAND_MODE: BandMode = "kind-season";

/** What the band is centred on for a model (seasonal: fits nothing) under `mode`; null for the fixed band. */
export function bandCentre(mode: BandMode, seasonal: boolean): "median" | "quantile" | null {
  if (mode === "fixed") return null;
  const c = mode.split("-")[0];
  return c === "kind" ? (seasonal ? "median" : "quantile") : (c as "median" | "quantile");
}
export const BAND_SCALE_FLOOR = 0.1;

/** The lag for a lookback L and a season (steps), or null for the fixed (unscaled) band. */
export function bandScaleLag(L: number, season: number, mode: BandMode = BAND_MODE): number | null {
  if (mode === "fixed") return null;
  return mode.endsWith("season") && season < L ? season : 1;
}

/** Mean |y_t − y_{t−lag}| over the finite pairs of `window` (the target over the lookback); NaN when none. */
export function windowScale(window: ArrayLike<number>, lag: number): number {
  let sum = 0,
    n = 0;
  for (let t = lag; t < window.length; t++) {
    const d = Math.abs(window[t] - window[t - lag]);
    if (Number.isFinite(d)) {
      sum += d;
      n++;
    }
  }
  return n ? sum / n : NaN;
}

/** The s the band is multiplied by: the window's scale, at least `floor`; `ref` when the window has none. */
export function effectiveScale(s: number, b: BandScale): number {
  return Number.isFinite(s) ? Math.max(s, b.floor) : b.ref;
}

/**
 * The band scale from the calibration windows' raw scales, or null (fixed band) when they give no
 * positive reference (a series that never moves).
 */
export function bandScaleFrom(scales: ArrayLike<number>, lag: number): BandScale | null {
  const finite = Array.from(scales)
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (!finite.length) return null;
  const m = finite.length;
  const ref = (finite[Math.floor((m - 1) / 2)] + finite[Math.floor(m / 2)]) / 2;
  if (!(ref > 0)) return null;
  return { lag, ref, floor: BAND_SCALE_FLOOR * ref };
}

/**
 * The adaptive band's scale for a calibration: each window's s from its lookback,
 * and each point's effective s [n × H]; null for the fixed band (BAND_MODE "fixed", or a
 * series whose windows never move).
 */
export function calibrationScale(
  p: PreparedTraining,
  origins: ArrayLike<number>,
  seasonal: boolean,
  mode: BandMode = BAND_MODE,
): { band: BandScale; perPoint: Float64Array } | null {
  const lag = bandScaleLag(p.L, p.season, mode);
  if (lag === null) return null;
  const raw = Array.from(origins, (o) => windowScale(p.m.target.subarray(o - p.L, o), lag));
  const scale = bandScaleFrom(raw, lag);
  if (!scale) return null;
  const mid = p.quantiles.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
  const band: BandScale = bandCentre(mode, seasonal) === "median" && mid >= 0 ? { ...scale, median: mid } : scale;
  const perPoint = new Float64Array(origins.length * p.H);
  raw.forEach((s, i) => perPoint.fill(effectiveScale(s, band), i * p.H, (i + 1) * p.H));
  return { band, perPoint };
}
