/**
 * The anomaly pages' moments: UTC wall-clock time without the zone (the columns and labels say
 * UTC), the same on the server and in the browser. Placeholders of the time fields use the same
 * form, so a value typed as shown is parsed back by parseUtc.
 */
const iso = (ts: number | string | Date) => new Date(ts).toISOString();

/** `2024-01-08 07:00`, or "–" when there is no moment. */
export function fmtMinute(ts: number | string | Date | null | undefined): string {
  return ts == null ? "–" : iso(ts).slice(0, 16).replace("T", " ");
}

/** `2024-01-08 07:00:15` (the live page, where points can be seconds apart). */
export function fmtSecond(ts: number | string | Date): string {
  return iso(ts).slice(0, 19).replace("T", " ");
}

/** `01-08 07:00` (chart ticks). */
export function fmtTick(ts: number): string {
  return iso(ts).slice(5, 16).replace("T", " ");
}

/** A typed UTC moment (`2024-01-08 07:00`, ISO accepted) as epoch ms; null when empty or not a time. */
export function parseUtc(s: string): number | null {
  const v = s.trim();
  if (!v) return null;
  const t = Date.parse(v.replace(" ", "T") + (/(Z|[+-]\d\d:?\d\d)$/.test(v) ? "" : "Z"));
  return Number.isFinite(t) ? t : null;
}
