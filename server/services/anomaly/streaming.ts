/**
 * The streaming detector (pure TS, no database). It reads a series one point at a time; the
 * decision for point i uses only points 0 … i, and its whole memory is a JSON state, so batch
 * detection, real-time scoring and the NAB bench (bench/nab) run exactly this code.
 *
 * Per point:
 *  1. Surprise in [0, 1]: four online predictors (the previous value, a slow moving average,
 *     the value one day earlier, and a weekly profile, i.e. a moving average per slot of the
 *     week; the last two only when the step divides a day) each keep their mean absolute error;
 *     the predictor with the smallest one is trusted, and its error e over that typical size t
 *     gives surprise = 1 − exp(−e / (t · surpriseScale)).
 *  2. Anomaly likelihood (after Numenta's): the mean surprise of the last `shortWindow` points
 *     against the long-run mean and variance of that mean (memory `longMemory` points); its
 *     Gaussian tail probability p is reported on a log scale, score = log(p)/log(1e-10) in [0, 1].
 *     A value with a surprise of at least `cleanAbove` enters the one-day history as the
 *     one-day prediction, so an anomaly does not return as a false alert a day later.
 *  3. Range: a value beyond the range seen so far by `rangeMargin` of its width scores 1.
 * Alerts are events (`decide`): after probation, a score that crosses the threshold alerts
 * unless an alert fired within the quiet period (suppression × probation points, doubled for
 * each recent alert, so a long anomalous stretch gives one alert, not a run).
 * Probation (the first 15 % of the series, at most 750 points, or a range the user picks) only
 * learns. The default settings are the ones bench/nab chose on NAB's development corpus.
 */

export interface StreamingSettings {
  /** A score at or above it alerts (score in [0, 1]). */
  threshold: number;
  /** Points averaged for the short-term surprise. */
  shortWindow: number;
  /** Memory (points) of the long-run distribution of the short-term surprise. */
  longMemory: number;
  /** Memory (points) of each predictor's typical error. */
  errorMemory: number;
  /** Errors this many typical errors large give a surprise of 1 − 1/e. */
  surpriseScale: number;
  /** Weight of a new value in its weekly-profile slot. */
  profileRate: number;
  /** A value this surprising is kept in the one-day predictor's history as its prediction instead. */
  cleanAbove: number;
  /** A value beyond the range seen so far by this share of its width scores 1. */
  rangeMargin: number;
  /** Quiet period after an alert, as a share of the probation length. */
  suppression: number;
  /** Memory of recent alerts for the quiet period's doubling, as a multiple of the probation length. */
  backoff: number;
}

export const DEFAULT_STREAMING: StreamingSettings = {
  threshold: 0.36,
  shortWindow: 12,
  longMemory: 8640,
  errorMemory: 500,
  surpriseScale: 8,
  profileRate: 0.1,
  cleanAbove: 0.9,
  rangeMargin: 0.05,
  suppression: 0.05,
  backoff: 10,
};

export const PROBATION_SHARE = 0.15;
/** NAB's cap on probation (15 % of 5,000 points): a long series need not wait for weeks. */
export const PROBATION_CAP = 750;
/** The fewest probation points (the detector needs some history before it may alert). */
export const MIN_PROBATION = 20;
/** The one-day predictor and weekly profile need a step dividing a day, at most this many points a day. */
export const MAX_POINTS_PER_DAY = 288;

const N_PRED = 4;
const LOG_FLOOR = Math.log(1e-10);

export interface Alerting {
  last: number | null;
  /** The previous scored point's score (an alert needs a crossing). */
  prev: number;
  /** Recent alerts, decaying with memory backoff × probation at the last alert. */
  heat: number;
}

export interface StreamingState {
  version: 1;
  /** Points seen (the index of the next point). */
  n: number;
  probation: number;
  /** Points per day when the step divides a day (0 otherwise). */
  season: number;
  last: number | null;
  slow: number | null;
  /** Mean absolute error and its count per predictor. */
  err: number[];
  errN: number[];
  min: number | null;
  max: number | null;
  /** The last week's values and the weekly profile, by index mod (7 · season). */
  week: (number | null)[];
  profile: (number | null)[];
  /** The last `shortWindow` surprises. */
  recent: number[];
  ltMean: number;
  ltVar: number;
  ltN: number;
  alerting: Alerting;
}

export type AlertSettings = Pick<StreamingSettings, "threshold" | "suppression" | "backoff">;

/** Probation length for a series of `total` points: 15 %, at most 750, at least 20. */
export function probationPoints(total: number): number {
  return Math.max(MIN_PROBATION, Math.min(PROBATION_CAP, Math.floor(PROBATION_SHARE * total)));
}

/** Points per day for a regular step (0 when the step does not divide a day or is too fine). */
export function pointsPerDay(stepSeconds: number | null | undefined): number {
  if (!stepSeconds || stepSeconds <= 0 || 86400 % stepSeconds !== 0) return 0;
  const n = 86400 / stepSeconds;
  return n <= MAX_POINTS_PER_DAY ? n : 0;
}

export const initialAlerting = (): Alerting => ({ last: null, prev: 0, heat: 0 });

/** A fresh state; `stepSeconds` is the series' regular step (null if irregular). */
export function initialState(probation: number, stepSeconds: number | null | undefined): StreamingState {
  if (!Number.isInteger(probation) || probation < 1)
    throw new Error(`probation must be a positive whole number of points (got ${probation})`);
  return {
    version: 1,
    n: 0,
    probation,
    season: pointsPerDay(stepSeconds),
    last: null,
    slow: null,
    err: new Array(N_PRED).fill(0),
    errN: new Array(N_PRED).fill(0),
    min: null,
    max: null,
    week: [],
    profile: [],
    recent: [],
    ltMean: 0,
    ltVar: 0,
    ltN: 0,
    alerting: initialAlerting(),
  };
}

/** Standard normal upper tail Q(z) (Abramowitz–Stegun 7.1.26 for erfc). */
export function normalTail(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const erfc =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))) *
    Math.exp(-x * x);
  return z >= 0 ? erfc / 2 : 1 - erfc / 2;
}

/**
 * The alert rule (one definition, used by `step` and by threshold searches): after probation,
 * a score that reaches the threshold from below alerts unless an alert fired within the quiet
 * period, suppression × probation × 2^(recent alerts).
 */
export function decide(a: Alerting, i: number, score: number | null, probation: number, cfg: AlertSettings): boolean {
  if (score === null) return false;
  const crossing = a.prev < cfg.threshold;
  a.prev = score;
  if (i < probation || score < cfg.threshold || !crossing) return false;
  const heat = a.last === null ? 0 : a.heat * Math.exp(-(i - a.last) / (cfg.backoff * probation));
  const quiet = Math.max(1, Math.round(cfg.suppression * probation * 2 ** heat));
  if (a.last !== null && i - a.last < quiet) return false;
  a.last = i;
  a.heat = heat + 1;
  return true;
}

export interface StepResult {
  /** Anomaly score in [0, 1] (null: a missing value, not scored). */
  score: number | null;
  alert: boolean;
  /** Still in probation (learning only). */
  learning: boolean;
}

function surpriseOf(s: StreamingState, x: number, i: number, cfg: StreamingSettings): number {
  const W = 7 * s.season;
  const preds = [
    s.last,
    s.slow,
    s.season ? (s.week[(i - s.season) % W] ?? null) : null,
    s.season ? (s.profile[i % W] ?? null) : null,
  ];
  let surprise = 0,
    best = Infinity;
  for (let k = 0; k < N_PRED; k++) {
    const p = preds[k];
    if (p === null) continue;
    const e = Math.abs(x - p);
    if (s.errN[k] >= 2) {
      const typical = s.err[k] + 1e-9 * (Math.abs(x) + 1);
      if (typical < best) {
        best = typical;
        surprise = 1 - Math.exp(-e / (typical * cfg.surpriseScale));
      }
    }
    s.err[k] += (e - s.err[k]) / Math.min(s.errN[k] + 1, cfg.errorMemory);
    s.errN[k]++;
  }
  s.last = x;
  s.slow = s.slow === null ? x : s.slow + (x - s.slow) * 0.05;
  if (s.season) {
    // A very surprising value is not kept as next day's prediction (its echo would alert again).
    const clean = surprise >= cfg.cleanAbove && preds[2] !== null ? preds[2] : x;
    s.week[i % W] = clean;
    const o = s.profile[i % W];
    s.profile[i % W] = o == null ? x : o + (x - o) * cfg.profileRate;
  }
  return surprise;
}

function likelihoodScore(s: StreamingState, surprise: number, cfg: StreamingSettings): number {
  s.recent.push(surprise);
  while (s.recent.length > cfg.shortWindow) s.recent.shift();
  const m = s.recent.reduce((a, b) => a + b, 0) / s.recent.length;
  let score = 0;
  if (s.ltN >= cfg.shortWindow) {
    const p = normalTail((m - s.ltMean) / Math.sqrt(Math.max(s.ltVar, 1e-6)));
    score = Math.min(1, Math.max(0, Math.log(Math.max(p, 1e-10)) / LOG_FLOOR));
  }
  const r = 1 / Math.min(s.ltN + 1, cfg.longMemory);
  const d = m - s.ltMean;
  s.ltMean += d * r;
  s.ltVar += (d * (m - s.ltMean) - s.ltVar) * r;
  s.ltN++;
  return score;
}

/** Advances the state by one value (NaN/null = missing) and returns its score and decision. */
export function step(s: StreamingState, value: number | null, cfg: StreamingSettings): StepResult {
  const i = s.n++;
  const learning = i < s.probation;
  if (value === null || !Number.isFinite(value)) return { score: null, alert: false, learning };
  let score = likelihoodScore(s, surpriseOf(s, value, i, cfg), cfg);
  if (s.min !== null && s.max !== null && !learning) {
    const margin = cfg.rangeMargin * (s.max - s.min);
    if (value > s.max + margin || value < s.min - margin) score = 1;
  }
  s.min = s.min === null ? value : Math.min(s.min, value);
  s.max = s.max === null ? value : Math.max(s.max, value);
  return { score, alert: decide(s.alerting, i, score, s.probation, cfg), learning };
}

/** Alerts (indices) from precomputed scores with the same rule as `step` (threshold searches). */
export function alertsFromScores(scores: ArrayLike<number | null>, probation: number, cfg: AlertSettings): number[] {
  const a = initialAlerting();
  const out: number[] = [];
  for (let i = 0; i < scores.length; i++) if (decide(a, i, scores[i], probation, cfg)) out.push(i);
  return out;
}
