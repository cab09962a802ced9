/**
 * Forecast settings derived from a series' frequency and length (pure: shared by the training
 * form, the training job and bench/energy-panel, so the product's defaults are the bench's).
 *
 * - season: one day in steps (the seasonal-naive baseline and the MASE scale).
 * - horizon: one day, at most 96 steps (e.g. 8 h of 5-min data): the GBDT's training rows and
 *   the graph's output grow with H. Daily or coarser data: one week (7 steps).
 * - lookback: whole days, up to 7 (so the GBDT sees the same hour 1…7 days back: daily and
 *   weekly seasonality), at most a third of the points before the validation part, at least
 *   one day (seasonal naive reads one season back), at most ENERGY_LIMITS.maxLookback.
 * - calendar features: always the five of calendar.ts (time of day, day of week, weekend);
 *   constant columns (time of day on daily data) carry no information and cost nothing.
 * - Auto (the default model): seasonal naive, seasonal mean, seasonal median, GBDT and TiDE within
 *   AUTO_BUDGET_SECONDS of CPU time; see auto.ts.
 */
/** CPU seconds (user + system) for all of Auto's candidates: about 15-30 s of waiting on a free 2-core machine. */
export const AUTO_BUDGET_SECONDS = 30;
export const HELD_OUT_FRACTION = 0.2;
const MAX_LOOKBACK = 2048;

export interface ForecastDefaults {
  season: number;
  lookback: number;
  horizon: number;
}

export function seasonSteps(frequencySeconds: number): number {
  return Math.max(1, Math.round(86_400 / frequencySeconds));
}

export function forecastDefaults(frequencySeconds: number, points: number): ForecastDefaults {
  const season = seasonSteps(frequencySeconds);
  if (season === 1) {
    const horizon = 7;
    return { season, horizon, lookback: Math.max(8, Math.min(28, Math.floor((points * 0.7) / 3))) };
  }
  const horizon = Math.min(season, 96);
  const beforeTail = points - Math.round(points * HELD_OUT_FRACTION);
  const beforeVal = beforeTail - Math.max(horizon, Math.round(beforeTail * 0.1));
  const days = Math.max(
    1,
    Math.min(7, Math.floor(Math.floor(beforeVal / 3) / season), Math.floor(MAX_LOOKBACK / season)),
  );
  return { season, horizon, lookback: Math.max(8, days * season) };
}
