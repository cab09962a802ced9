/**
 * Parsing and validation of an uploaded battery file (CSV via csv-parse, XLSX via exceljs).
 * Pure: writes nothing. Problems name the row (as numbered in the file, header = row 1) and column.
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { UPLOAD_LIMITS } from "../../schemas/battery.js";
import { english } from "../../i18n/translate.js";

/** A reason a file is refused: `message` is English (scripts), `i18n` its code for the page's language. */
export interface UploadProblem {
  row: number | null;
  column: string | null;
  message: string;
  i18n?: { key: string; params?: Record<string, unknown> };
}

type ProblemKey = keyof typeof import("../../i18n/catalogs/en/battery.js").battery.problems;

/** One problem from its catalog key (`battery:problems.<key>`) and parameters. */
export function problem(
  row: number | null,
  column: string | null,
  key: ProblemKey,
  params?: Record<string, unknown>,
): UploadProblem {
  const k = `battery:problems.${key}`;
  return { row, column, message: english(k, params), i18n: { key: k, params } };
}

export interface ParsedCell {
  cellKey: string;
  cycle: Float64Array;
  values: Record<string, Float64Array>;
}

export interface ParsedUpload {
  format: "csv" | "xlsx";
  rowCount: number;
  features: string[];
  /** Stored, never an input (the discharge capacity when the file has one). */
  targetDerived: string[];
  cells: ParsedCell[];
  /** English (scripts); `notes` holds the same warnings as codes for the page's language. */
  warnings: string[];
  notes: MessageRef[];
}

interface MessageRef {
  key: string;
  params?: Record<string, unknown>;
}

const CELL_COLUMNS = ["cell_id", "cell", "cell_key", "cell_index"];
const QD_COLUMNS = ["qdischarge_ah", "discharge_capacity_ah", "discharge_capacity", "capacity_ah", "qd"];
const MAX_PROBLEMS = 100;

export function normaliseHeader(h: string): string {
  return h
    .trim()
    .toLowerCase()
    .replace(/[\s\-./()]+/g, "_")
    .replace(/^_+|_+$/g, "");
}

type Raw = string | number | null;

async function readXlsx(buf: Buffer): Promise<Raw[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buf as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  if (!ws) return [];
  const rows: Raw[][] = [];
  ws.eachRow({ includeEmpty: true }, (row, n) => {
    const out: Raw[] = [];
    for (let c = 1; c <= ws.columnCount; c++) {
      const v = row.getCell(c).value as unknown;
      if (v === null || v === undefined) out.push(null);
      else if (typeof v === "number" || typeof v === "string") out.push(v);
      else if (typeof v === "object" && v && "result" in v) out.push((v as { result: Raw }).result ?? null);
      else if (typeof v === "object" && v && "richText" in v)
        out.push((v as { richText: { text: string }[] }).richText.map((t) => t.text).join(""));
      else out.push(String(v));
    }
    rows[n - 1] = out;
  });
  return Array.from(rows, (r) => r ?? []);
}

function toNumber(v: Raw): number | "empty" | "bad" {
  if (v === null) return "empty";
  if (typeof v === "number") return Number.isFinite(v) ? v : "bad";
  const s = v.trim();
  if (s === "") return "empty";
  // Number("") is 0 and Number("0x1f") is 31: accept decimal notation only.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) return "bad";
  const n = Number(s);
  return Number.isFinite(n) ? n : "bad";
}

export async function parseUpload(
  buf: Buffer,
  fileName: string,
  opts: { nominalCapacityAh?: number; eolSoh: number },
): Promise<{ ok: true; upload: ParsedUpload } | { ok: false; problems: UploadProblem[] }> {
  const problems: UploadProblem[] = [];
  const fail = (row: number | null, column: string | null, key: ProblemKey, params?: Record<string, unknown>) => {
    if (problems.length < MAX_PROBLEMS) problems.push(problem(row, column, key, params));
  };
  const refuse = (key: ProblemKey, params?: Record<string, unknown>, row: number | null = null) => ({
    ok: false as const,
    problems: [problem(row, null, key, params)],
  });
  if (buf.length === 0) return refuse("empty");
  if (buf.length > UPLOAD_LIMITS.maxBytes) return refuse("tooLarge", { mb: (buf.length / 2 ** 20).toFixed(1) });
  const isZip = buf.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
  const ext = fileName.toLowerCase().split(".").pop();
  const format: "csv" | "xlsx" = isZip ? "xlsx" : "csv";
  if (ext === "xlsx" && !isZip) return refuse("notXlsx");
  if (ext !== "xlsx" && ext !== "csv" && ext !== "txt") return refuse("badType");

  let table: Raw[][];
  try {
    table =
      format === "xlsx"
        ? await readXlsx(buf)
        : (parse(buf, {
            bom: true,
            skip_empty_lines: true,
            trim: true,
            relax_column_count: false,
            max_record_size: 1 << 20,
          }) as string[][]);
  } catch (e) {
    const err = e as Error & { lines?: number };
    return refuse("unreadable", { reason: err.message }, err.lines ?? null);
  }
  while (table.length && table[table.length - 1].every((v) => v === null || v === "")) table.pop();
  if (table.length === 0) return refuse("empty");
  if (table.length - 1 > UPLOAD_LIMITS.maxRows)
    return refuse("tooManyRows", { rows: table.length - 1, limit: UPLOAD_LIMITS.maxRows });
  if (table.length === 1) return refuse("noRows");

  const header = table[0].map((h) => normaliseHeader(String(h ?? "")));
  const seen = new Map<string, number>();
  header.forEach((h, i) => {
    if (!h) fail(1, `column ${i + 1}`, "emptyColumn");
    else if (seen.has(h)) fail(1, h, "duplicateColumn", { a: seen.get(h)! + 1, b: i + 1 });
    else seen.set(h, i);
  });
  const cellCol = CELL_COLUMNS.find((c) => seen.has(c));
  if (!cellCol) fail(1, "cell_id", "missingCellColumn", { names: CELL_COLUMNS.join(", ") });
  if (!seen.has("cycle")) fail(1, "cycle", "missingCycle");
  const qdCol = QD_COLUMNS.find((c) => seen.has(c));
  const hasRul = seen.has("rul");
  const hasPcl = seen.has("pcl");
  if (!hasRul && !hasPcl && !qdCol) {
    fail(1, "rul/pcl", "missingTarget", { names: QD_COLUMNS.join(", ") });
  }
  if (!hasPcl && qdCol && !opts.nominalCapacityAh) {
    fail(1, qdCol, "needsNominal");
  }
  const reserved = new Set([cellCol, "cycle", "rul", "pcl", "soh", qdCol].filter(Boolean) as string[]);
  const features = header.filter((h) => h && !reserved.has(h));
  for (const f of features) {
    if (!/^[a-z][a-z0-9_]{0,63}$/.test(f)) fail(1, f, "badColumnName");
  }
  if (features.length > UPLOAD_LIMITS.maxFeatures)
    fail(1, null, "tooManyFeatures", { count: features.length, limit: UPLOAD_LIMITS.maxFeatures });
  if (problems.length) return { ok: false, problems };

  const numericCols = [...features, ...(hasRul ? ["rul"] : []), ...(hasPcl ? ["pcl"] : []), ...(qdCol ? [qdCol] : [])];
  const colIdx = numericCols.map((c) => seen.get(c)!);
  const cellIdx = seen.get(cellCol!)!;
  const cycleIdx = seen.get("cycle")!;
  const byCell = new Map<string, { rows: number[] }>();
  const firstRowOf = new Map<string, number>();
  let problemCount = 0;
  const bad = (row: number, column: string | null, key: ProblemKey, params?: Record<string, unknown>) => {
    problemCount++;
    fail(row, column, key, params);
  };
  const cycles = new Float64Array(table.length);
  const data = numericCols.map(() => new Float64Array(table.length).fill(NaN));
  for (let r = 1; r < table.length; r++) {
    const row = table[r];
    const line = r + 1;
    const key = String(row[cellIdx] ?? "").trim();
    if (!key) bad(line, cellCol!, "missingCellId");
    else if (key.length > 64) bad(line, cellCol!, "longCellId");
    const cyc = toNumber(row[cycleIdx] ?? null);
    if (cyc === "empty") bad(line, "cycle", "missingCycleNumber");
    else if (cyc === "bad" || !Number.isInteger(cyc) || cyc < 0)
      bad(line, "cycle", "badCycle", { value: String(row[cycleIdx]) });
    else cycles[r] = cyc;
    numericCols.forEach((c, j) => {
      const v = toNumber(row[colIdx[j]] ?? null);
      if (v === "bad") bad(line, c, "notNumber", { value: String(row[colIdx[j]]) });
      else if (v !== "empty") data[j][r] = v;
    });
    if (key && typeof cyc === "number" && Number.isInteger(cyc)) {
      const dupKey = `${key}\u0000${cyc}`;
      const prev = firstRowOf.get(dupKey);
      if (prev !== undefined) bad(line, "cycle", "duplicateRow", { cell: key, cycle: cyc, row: prev });
      else firstRowOf.set(dupKey, line);
      const e = byCell.get(key) ?? { rows: [] };
      e.rows.push(r);
      byCell.set(key, e);
    }
  }
  if (byCell.size > UPLOAD_LIMITS.maxCells)
    bad(1, cellCol!, "tooManyCells", { count: byCell.size, limit: UPLOAD_LIMITS.maxCells });
  if (problemCount) {
    if (problemCount > problems.length)
      problems.push(problem(null, null, "more", { count: problemCount - problems.length }));
    return { ok: false, problems };
  }

  const notes: MessageRef[] = [];
  const note = (
    key: keyof typeof import("../../i18n/catalogs/en/battery.js").battery.warnings,
    params?: Record<string, unknown>,
  ) => ({ key: `battery:warnings.${key}`, params });
  const cells: ParsedCell[] = [];
  const qdIdx = qdCol ? numericCols.indexOf(qdCol) : -1;
  for (const [cellKey, { rows }] of byCell) {
    rows.sort((a, b) => cycles[a] - cycles[b]);
    const n = rows.length;
    const cycle = Float64Array.from(rows, (r) => cycles[r]);
    const values: Record<string, Float64Array> = {};
    numericCols.forEach((c, j) => {
      const name = c === qdCol ? "qdischarge_ah" : c;
      values[name] = Float64Array.from(rows, (r) => data[j][r]);
    });
    if (!hasPcl && qdIdx >= 0) {
      const qd = Float64Array.from(rows, (r) => data[qdIdx][r]);
      values.pcl = qd.map((q) => 1 - q / opts.nominalCapacityAh!);
    } else if (!hasPcl) {
      values.pcl = new Float64Array(n).fill(NaN); // RUL only: PCL unknown
    }
    if (!hasRul) {
      const pcl = values.pcl;
      let eol = -1;
      for (let i = 0; i < n; i++)
        if (1 - pcl[i] <= opts.eolSoh) {
          eol = cycle[i];
          break;
        }
      if (eol < 0) notes.push(note("neverEol", { cell: cellKey, soh: opts.eolSoh }));
      values.rul = cycle.map((c) => (eol >= 0 && c <= eol ? eol - c : NaN));
    }
    cells.push({ cellKey, cycle, values });
  }
  const pcl = !hasPcl && !!qdCol;
  if (pcl || !hasRul)
    notes.unshift(
      pcl && !hasRul
        ? note("derivedBoth", { soh: opts.eolSoh })
        : pcl
          ? note("derivedPcl")
          : note("derivedRul", { soh: opts.eolSoh }),
    );
  const warnings = notes.map((n) => english(n.key, n.params));
  return {
    ok: true,
    upload: {
      format,
      rowCount: table.length - 1,
      features,
      targetDerived: qdCol ? ["qdischarge_ah"] : [],
      cells,
      warnings,
      notes,
    },
  };
}
