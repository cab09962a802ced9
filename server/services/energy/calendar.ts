/**
 * Calendar features derived from timestamps (known in advance: usable as future covariates).
 * Computed in UTC, the time zone timestamps are stored in (naive uploads and the Steel
 * plant's local time are stored as UTC, so "UTC" here is the series' own wall clock).
 */
export const CALENDAR_FEATURE_NAMES = ["tod_sin", "tod_cos", "dow_sin", "dow_cos", "is_weekend"] as const;

export interface CalendarFeatures {
  names: string[];
  /** One column per name, each the length of the timestamps. */
  values: Float32Array[];
}

const DAY_MS = 86_400_000;

export function calendarFeatures(timestamps: ArrayLike<number>): CalendarFeatures {
  const n = timestamps.length;
  const cols = CALENDAR_FEATURE_NAMES.map(() => new Float32Array(n));
  for (let i = 0; i < n; i++) {
    const t = timestamps[i];
    const tod = (((t % DAY_MS) + DAY_MS) % DAY_MS) / DAY_MS; // fraction of the day
    const dow = new Date(t).getUTCDay(); // 0 = Sunday … 6 = Saturday
    // Monday = 0 … Sunday = 6 on the weekly circle.
    const mondayBased = (dow + 6) % 7;
    cols[0][i] = Math.sin(2 * Math.PI * tod);
    cols[1][i] = Math.cos(2 * Math.PI * tod);
    cols[2][i] = Math.sin((2 * Math.PI * mondayBased) / 7);
    cols[3][i] = Math.cos((2 * Math.PI * mondayBased) / 7);
    cols[4][i] = dow === 0 || dow === 6 ? 1 : 0;
  }
  return { names: [...CALENDAR_FEATURE_NAMES], values: cols };
}
