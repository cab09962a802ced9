/**
 * Timestamp parsing for uploads and seeds. Accepted forms (naive ones are read as UTC):
 *   ISO 8601: 2018-01-31, 2018-01-31T13:45, 2018-01-31 13:45:00, ...:00.123, with optional Z / ±hh:mm
 *   yyyy/mm/dd [HH:MM[:SS]]
 *   dd/mm/yyyy [HH:MM[:SS]] (also with '.' or '-' between the parts): day first, never month first
 * Returns epoch milliseconds, or null when the text is not one of these or names no real date.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const YMD_SLASH = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;
const DMY = /^(\d{1,2})([/.-])(\d{1,2})\2(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?$/;

function build(y: number, mo: number, d: number, h = 0, mi = 0, s = 0, frac?: string, tz?: string): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 24 || mi > 59 || s > 60) return null;
  if (h === 24 && (mi !== 0 || s !== 0)) return null;
  const ms = frac ? Math.round(Number(`0.${frac}`) * 1000) : 0;
  let t = Date.UTC(y, mo - 1, d, h, mi, s, ms);
  // Date.UTC rolls 31 Feb over to March: refuse dates that do not exist.
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  if (tz && tz.toUpperCase() !== "Z") {
    const m = /^([+-])(\d{2}):?(\d{2})$/.exec(tz)!;
    const off = (Number(m[2]) * 60 + Number(m[3])) * 60_000;
    t -= m[1] === "+" ? off : -off;
  }
  return t;
}

export function parseTimestamp(raw: unknown): number | null {
  if (raw instanceof Date) return Number.isFinite(raw.getTime()) ? raw.getTime() : null;
  if (typeof raw !== "string") return null;
  const s = raw.trim();
  if (!s) return null;
  let m = ISO.exec(s);
  if (m) return build(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7], m[8]);
  m = YMD_SLASH.exec(s);
  if (m) return build(+m[1], +m[2], +m[3], m[4] ? +m[4] : 0, m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7]);
  m = DMY.exec(s);
  if (m) return build(+m[4], +m[3], +m[1], m[5] ? +m[5] : 0, m[6] ? +m[6] : 0, m[7] ? +m[7] : 0, m[8]);
  return null;
}

/** Numbers as a CSV or spreadsheet writes them. NaN/inf spellings are reported apart from text. */
export type NumberParse =
  { kind: "number"; value: number } | { kind: "empty" } | { kind: "nonfinite" } | { kind: "text" };

const NONFINITE = new Set(["nan", "inf", "+inf", "-inf", "infinity", "+infinity", "-infinity", "#num!", "#div/0!"]);

export function parseNumber(raw: unknown): NumberParse {
  if (typeof raw === "number") return Number.isFinite(raw) ? { kind: "number", value: raw } : { kind: "nonfinite" };
  if (raw === null || raw === undefined) return { kind: "empty" };
  if (typeof raw !== "string") return { kind: "text" };
  const s = raw.trim();
  if (!s) return { kind: "empty" };
  if (NONFINITE.has(s.toLowerCase())) return { kind: "nonfinite" };
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return { kind: "text" };
  const v = Number(s);
  return Number.isFinite(v) ? { kind: "number", value: v } : { kind: "nonfinite" };
}
