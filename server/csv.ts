/**
 * One CSV cell, the one rule for every CSV the platform writes. Numbers are written as they are.
 * Text that a spreadsheet would read as a formula (starting with = + - @, tab or carriage return)
 * is prefixed with a single quote, so `=HYPERLINK(…)` in a cell name opens as text, not as a
 * live formula (OWASP "CSV injection"); text with a comma, quote or line break is quoted.
 */
export function csvCell(v: string | number | null | undefined): string {
  if (v === null || v === undefined) return "";
  if (typeof v === "number") return String(v);
  const s = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function csvLine(cells: (string | number | null | undefined)[]): string {
  return cells.map(csvCell).join(",");
}
