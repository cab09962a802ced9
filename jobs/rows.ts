/**
 * The one mapping of raw mysql2 results for the jobs tables. `knex.raw` answers [rows, fields]
 * with snake_case keys (the snake→camel mapper does not reach inside raw results).
 */
export type Row = Record<string, any>;

const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** A raw query's rows with camelCase keys. */
export function rowsOf(result: unknown): Row[] {
  return (result as [Row[]])[0].map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])));
}

/** A JSON column as stored (MariaDB returns JSON as text); plain text stays text. */
export function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v ?? null;
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}
