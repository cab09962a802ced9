/**
 * The one rule for "this forecaster is worse than seasonal naive": its held-out MASE is higher
 * than the seasonal-naive baseline's MASE on the same tail (both stored in a version's metrics).
 * Pure: shared by the models page and the forecast page (their sentence: forecast:naive.text).
 */
export interface NaiveVerdict {
  mase: number;
  naiveMase: number;
}

/** The two MASEs when the version is worse than seasonal naive; null when it is not (or metrics are missing). */
export function worseThanNaive(metrics: unknown): NaiveVerdict | null {
  const m = metrics as { mase?: unknown; baseline?: { mase?: unknown } } | null | undefined;
  const mase = m?.mase;
  const naiveMase = m?.baseline?.mase;
  if (
    typeof mase !== "number" ||
    typeof naiveMase !== "number" ||
    !Number.isFinite(mase) ||
    !Number.isFinite(naiveMase)
  )
    return null;
  return mase > naiveMase ? { mase, naiveMase } : null;
}
