/** Reads a corpus in NAB's layout: DIR/<category>/<name>.csv(.gz) and a windows JSON file. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

export interface CorpusFile {
  /** The key in the windows file, e.g. "realKnownCause/nyc_taxi.csv". */
  name: string;
  ts: Float64Array;
  values: Float64Array;
  /** Labelled windows as epoch ms (inclusive). */
  windows: { start: number; end: number }[];
}

/** "2014-04-10 07:15:00.000000" (no zone) → epoch ms, read as UTC. */
export function parseNabTime(s: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?$/.exec(s.trim());
  if (!m) throw new Error(`not a timestamp: ${JSON.stringify(s)}`);
  const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
  return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
}

function readCsv(path: string): { ts: Float64Array; values: Float64Array } {
  const buf = readFileSync(path);
  const text = (path.endsWith(".gz") ? gunzipSync(buf) : buf).toString("utf8");
  const lines = text.split(/\r?\n/).filter((l) => l.trim().length);
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  const ti = header.indexOf("timestamp"),
    vi = header.indexOf("value");
  if (ti < 0 || vi < 0) throw new Error(`${path}: expected the columns timestamp,value (got ${lines[0]})`);
  const n = lines.length - 1;
  const ts = new Float64Array(n),
    values = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const cells = lines[r + 1].split(",");
    ts[r] = parseNabTime(cells[ti]);
    const v = Number(cells[vi]);
    values[r] = cells[vi].trim() === "" ? NaN : v;
  }
  return { ts, values };
}

/** Every file the windows JSON names, in its order; a missing file is an error naming it. */
export function loadCorpus(dataDir: string, windowsFile: string): CorpusFile[] {
  const windows = JSON.parse(readFileSync(windowsFile, "utf8")) as Record<string, [string, string][]>;
  return Object.entries(windows).map(([name, ws]) => {
    const path = [join(dataDir, name), join(dataDir, `${name}.gz`)].find(existsSync);
    if (!path) throw new Error(`${name}: not found under ${dataDir}`);
    const { ts, values } = readCsv(path);
    return { name, ts, values, windows: ws.map(([a, b]) => ({ start: parseNabTime(a), end: parseNabTime(b) })) };
  });
}
