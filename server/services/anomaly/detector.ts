/**
 * The quantile detector (pure: no database). Score = |y − q50|, or that divided by the
 * 10–90 % interval width (q90 − q10) in "width" mode. Fitting takes the `lowQuantile` /
 * `highQuantile` of the clean points' scores (linear interpolation between order statistics,
 * R's type 7); either may be unset. A point is anomalous when its score is strictly below the
 * low threshold or strictly above the high one. Flags at most `mergeGap` points apart
 * (index distance) are one event.
 */
import type { AnomalyEvent } from "../../../db/models/anomaly-detection.js";
import type { ScoreSummary } from "../../../db/models/anomaly-detector.js";

export type ScoreMode = "raw" | "width";

/** The smallest width used in "width" mode (a collapsed band would divide by zero). */
export const MIN_WIDTH = 1e-6;

export function residualScore(y: number, q10: number, q50: number, q90: number, mode: ScoreMode): number {
  if (!Number.isFinite(y) || !Number.isFinite(q50)) return NaN;
  const r = Math.abs(y - q50);
  if (mode === "raw") return r;
  const w = q90 - q10;
  return Number.isFinite(w) ? r / Math.max(w, MIN_WIDTH) : NaN;
}

export function residualScores(
  y: ArrayLike<number>,
  q: { q10: ArrayLike<number>; q50: ArrayLike<number>; q90: ArrayLike<number> },
  mode: ScoreMode,
): Float64Array {
  return Float64Array.from({ length: y.length }, (_, i) => residualScore(y[i], q.q10[i], q.q50[i], q.q90[i], mode));
}

/** Quantile p of ascending `sorted` (type 7: linear between order statistics). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (!n) return NaN;
  const h = (n - 1) * p;
  const lo = Math.floor(h),
    hi = Math.ceil(h);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

export interface Thresholds {
  low: number | null;
  high: number | null;
}

export interface FittedDetector extends Thresholds {
  summary: ScoreSummary;
}

/** Fits thresholds on scores (non-finite ones are ignored). */
export function fitQuantileDetector(
  scores: ArrayLike<number>,
  q: { lowQuantile: number | null; highQuantile: number | null },
): FittedDetector {
  const s = Float64Array.from(
    Array.prototype.filter.call(scores, (v: number) => Number.isFinite(v)) as number[],
  ).sort();
  if (!s.length) throw new Error("no clean scored points to fit the detector on");
  if (q.lowQuantile === null && q.highQuantile === null) throw new Error("set low_quantile, high_quantile or both");
  let sum = 0;
  for (const v of s) sum += v;
  return {
    low: q.lowQuantile === null ? null : quantile(s, q.lowQuantile),
    high: q.highQuantile === null ? null : quantile(s, q.highQuantile),
    summary: {
      n: s.length,
      mean: sum / s.length,
      min: s[0],
      p50: quantile(s, 0.5),
      p90: quantile(s, 0.9),
      p99: quantile(s, 0.99),
      p999: quantile(s, 0.999),
      max: s[s.length - 1],
    },
  };
}

export function isAnomalous(score: number, t: Thresholds): boolean {
  if (!Number.isFinite(score)) return false;
  return (t.high !== null && score > t.high) || (t.low !== null && score < t.low);
}

export function flagScores(scores: ArrayLike<number>, t: Thresholds): Uint8Array {
  return Uint8Array.from({ length: scores.length }, (_, i) => (isAnomalous(scores[i], t) ? 1 : 0));
}

/**
 * Consecutive flags as events: a flag whose index is at most `mergeGap` after the previous
 * flag joins its event (mergeGap 1 = only adjacent points). Start/end are timestamps of the
 * first/last flagged point; the peak is the flagged point with the largest score.
 */
export function groupEvents(
  ts: ArrayLike<number>,
  flags: ArrayLike<number>,
  scores: ArrayLike<number>,
  mergeGap: number,
): AnomalyEvent[] {
  const events: AnomalyEvent[] = [];
  let cur: AnomalyEvent | null = null;
  let lastIdx = -Infinity;
  for (let i = 0; i < flags.length; i++) {
    if (!flags[i]) continue;
    if (cur && i - lastIdx <= Math.max(1, mergeGap)) {
      cur.end = ts[i];
      cur.points++;
      if (scores[i] > cur.peakScore) {
        cur.peakScore = scores[i];
        cur.peakTs = ts[i];
      }
    } else {
      cur = { start: ts[i], end: ts[i], peakTs: ts[i], peakScore: scores[i], points: 1 };
      events.push(cur);
    }
    lastIdx = i;
  }
  return events;
}

/** Index range [from, to) of the points with from ≤ ts ≤ to. */
export function indexRange(
  ts: ArrayLike<number>,
  from: number | null | undefined,
  to: number | null | undefined,
): [number, number] {
  let a = 0,
    b = ts.length;
  if (from != null) while (a < b && ts[a] < from) a++;
  if (to != null) while (b > a && ts[b - 1] > to) b--;
  return [a, b];
}
