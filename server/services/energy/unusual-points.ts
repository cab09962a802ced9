/**
 * Unusual points: where the series leaves its own daily pattern far more than it usually does
 * (an outage, a flat stretch, a jump). Auto's choice and the conformal calibration leave them out,
 * so a broken stretch in the validation part neither rewards a model that chases it nor stretches
 * the band of every later forecast (bench/energy-panel: NAB series with a labelled anomaly in the
 * validation part).
 *
 * Rule: the reference is the seasonal median (the middle of the same time of day over up to 7 past
 * days, as the seasonal-median model forecasts it); a point before the tail is unusual when its
 * absolute error exceeds UNUSUAL_FACTOR × the UNUSUAL_QUANTILE quantile of those errors before the
 * validation part. Labels are never read. When fewer than MIN_KEPT scored points would remain, the
 * window set is used as it is.
 */
import { quantileSorted } from "simple-statistics";

export const UNUSUAL_FACTOR = 3;
/**
 * When more than this share of the validation part is unusual, Auto keeps the best seasonal
 * candidate (auto.ts): on the dev series (bench/energy-panel) art_daily_flatmiddle has 75 % of its
 * validation part flagged, GBDT won what was left (tail MASE 2.77) and the seasonal median scored
 * 0.35 on the tail; every other dev series has at most 33 % flagged.
 */
export const UNUSUAL_FALLBACK_SHARE = 0.5;
export const UNUSUAL_QUANTILE = 0.95;
const MIN_KEPT = 20;

/**
 * The point forecast of the seasonal mean / median from the same time on past days (NaN where
 * missing): the mean of the known days, or their median with the missing days counted at that
 * mean (what the ONNX graph computes). NaN when no day is known.
 */
export function seasonalPoint(days: number[], statistic: "mean" | "median"): number {
  let sum = 0,
    n = 0;
  for (const v of days) if (Number.isFinite(v)) ((sum += v), n++);
  if (!n) return NaN;
  const mean = sum / n;
  if (statistic === "mean" || days.length === 1) return mean;
  const s = days.map((v) => (Number.isFinite(v) ? v : mean)).sort((a, b) => a - b);
  const K = s.length;
  return (s[Math.floor((K - 1) / 2)] + s[Math.floor(K / 2)]) / 2;
}

/** 1 at the unusual points among [0, trainPoints) of `target` (NaN where missing); 0 elsewhere and in the tail. */
export function unusualPoints(
  target: ArrayLike<number>,
  o: { season: number; lookback: number; valStart: number; trainPoints: number },
): Uint8Array {
  const { season, valStart, trainPoints } = o;
  const days = Math.max(1, Math.min(7, Math.floor(o.lookback / season)));
  const first = days * season;
  const err = new Float64Array(trainPoints).fill(NaN);
  const known: number[] = [];
  for (let t = first; t < trainPoints; t++) {
    known.length = 0;
    for (let k = 1; k <= days; k++) known.push(target[t - k * season]);
    err[t] = Math.abs(target[t] - seasonalPoint(known, "median"));
  }
  const flags = new Uint8Array(target.length);
  const before = Array.from(err.subarray(first, Math.max(first, valStart)))
    .filter(Number.isFinite)
    .sort((a, b) => a - b);
  if (before.length < MIN_KEPT) return flags;
  const threshold = UNUSUAL_FACTOR * quantileSorted(before, UNUSUAL_QUANTILE);
  // A series that repeats exactly has no spread to compare with: nothing is called unusual.
  if (!(threshold > 0)) return flags;
  for (let t = first; t < trainPoints; t++) if (err[t] > threshold) flags[t] = 1;
  return flags;
}

/** Share of [valStart, trainPoints) flagged unusual. */
export function validationUnusualShare(flags: Uint8Array, valStart: number, trainPoints: number): number {
  let n = 0;
  for (let t = valStart; t < trainPoints; t++) n += flags[t];
  return trainPoints > valStart ? n / (trainPoints - valStart) : 0;
}

/**
 * Window actuals [n × H] (origins[i] + h) with the unusual points set to NaN (scores skip them),
 * and how many were left out; unchanged when fewer than MIN_KEPT finite points would remain.
 */
export function withoutUnusual(
  actual: Float32Array,
  origins: ArrayLike<number>,
  H: number,
  flags: Uint8Array,
): { actual: Float32Array; leftOut: number } {
  const out = Float32Array.from(actual);
  let leftOut = 0,
    kept = 0;
  for (let i = 0; i < origins.length; i++)
    for (let h = 0; h < H; h++) {
      const j = i * H + h;
      if (!Number.isFinite(out[j])) continue;
      if (flags[origins[i] + h]) {
        out[j] = NaN;
        leftOut++;
      } else kept++;
    }
  return kept >= MIN_KEPT ? { actual: out, leftOut } : { actual, leftOut: 0 };
}
