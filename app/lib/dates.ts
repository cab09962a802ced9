/**
 * The one way pages print a moment in time: `2026-12-07 19:40 UTC`.
 *
 * The server renders the page and the browser hydrates it, so a date must come out the same on
 * both. `toLocaleString()` uses each side's own time zone and locale and does not (React then
 * throws hydration errors #418/#423/#425); an explicit zone does.
 */
export function formatDateTime(d: Date | string | number | null | undefined): string {
  if (d == null) return "—";
  const date = new Date(d);
  if (Number.isNaN(date.getTime())) return "—";
  return `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** A day only: `2026-12-07`. */
export function formatDate(d: Date | string | number | null | undefined): string {
  if (d == null) return "—";
  const date = new Date(d);
  return Number.isNaN(date.getTime()) ? "—" : date.toISOString().slice(0, 10);
}
