/**
 * Reads an uploaded CSV (csv-parse) or XLSX (exceljs) into a header + rows table and infers
 * each column's type. Limits: UPLOAD_LIMITS (20 MB, 1,000,000 data rows).
 */
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { parseNumber, parseTimestamp } from "./timestamps.js";
import { UPLOAD_LIMITS } from "./types.js";
import { reason, reasonTexts, type Reason } from "./reasons.js";

export type Cell = string | number | Date | null;

export interface Table {
  format: "csv" | "xlsx";
  headers: string[];
  rows: Cell[][];
  /** File row number of rows[i] (the header is row 1). */
  firstRowNumber: number;
}

/** A file refused before anything is stored: `refs` (catalog keys) for the page, `reasons` in English. */
export class UploadRejected extends Error {
  readonly reasons: string[];
  constructor(public refs: Reason[]) {
    super(reasonTexts(refs).join("; "));
    this.reasons = reasonTexts(refs);
  }
}

export function detectFormat(fileName: string, buf: Buffer): "csv" | "xlsx" {
  // XLSX is a zip: "PK\x03\x04".
  if (buf.length >= 4 && buf[0] === 0x50 && buf[1] === 0x4b && buf[2] === 0x03 && buf[3] === 0x04) return "xlsx";
  if (/\.xlsx$/i.test(fileName)) throw new UploadRejected([reason("energy:reasons.notXlsx")]);
  return "csv";
}

function guessDelimiter(text: string): string {
  const firstLine = text.slice(0, 10_000).split(/\r?\n/, 1)[0] ?? "";
  const counts = [",", ";", "\t"].map((d) => [d, firstLine.split(d).length - 1] as const);
  counts.sort((a, b) => b[1] - a[1]);
  return counts[0][1] > 0 ? counts[0][0] : ",";
}

function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null;
  if (v instanceof Date || typeof v === "number" || typeof v === "string") return v;
  if (typeof v === "boolean") return String(v);
  if (typeof v === "object") {
    if ("result" in v) return xlsxCell((v as ExcelJS.CellFormulaValue).result as ExcelJS.CellValue);
    if ("richText" in v) return (v as ExcelJS.CellRichTextValue).richText.map((r) => r.text).join("");
    if ("text" in v) return String((v as ExcelJS.CellHyperlinkValue).text);
    if ("error" in v) return String((v as ExcelJS.CellErrorValue).error);
  }
  return String(v);
}

export async function readTable(fileName: string, buf: Buffer): Promise<Table> {
  if (buf.length === 0) throw new UploadRejected([reason("energy:reasons.empty")]);
  if (buf.length > UPLOAD_LIMITS.maxBytes)
    throw new UploadRejected([reason("energy:reasons.tooLargeSize", { size: (buf.length / 1048576).toFixed(1) })]);
  const format = detectFormat(fileName, buf);
  let all: Cell[][];
  if (format === "csv") {
    const text = buf.toString("utf8");
    try {
      all = parse(text, {
        bom: true,
        delimiter: guessDelimiter(text.replace(/^\uFEFF/, "")),
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
        to_line: UPLOAD_LIMITS.maxRows + 2,
      }) as string[][];
    } catch (e) {
      throw new UploadRejected([reason("energy:reasons.csvUnreadable", { detail: (e as Error).message })]);
    }
  } else {
    const wb = new ExcelJS.Workbook();
    try {
      await wb.xlsx.load(buf as unknown as ExcelJS.Buffer);
    } catch (e) {
      throw new UploadRejected([reason("energy:reasons.xlsxUnreadable", { detail: (e as Error).message })]);
    }
    const ws = wb.worksheets[0];
    if (!ws) throw new UploadRejected([reason("energy:reasons.noWorksheet")]);
    all = [];
    ws.eachRow({ includeEmpty: false }, (row) => {
      const vals = (row.values as ExcelJS.CellValue[]).slice(1); // exceljs rows are 1-based
      all.push(vals.map(xlsxCell));
    });
  }
  if (all.length < 2) throw new UploadRejected([reason("energy:reasons.noRows")]);
  if (all.length - 1 > UPLOAD_LIMITS.maxRows)
    throw new UploadRejected([
      reason("energy:reasons.tooManyRows", { max: UPLOAD_LIMITS.maxRows.toLocaleString("en") }),
    ]);
  const headers = all[0].map((h, i) => (h === null || String(h).trim() === "" ? `column_${i + 1}` : String(h).trim()));
  return { format, headers, rows: all.slice(1), firstRowNumber: 2 };
}

export type InferredType = "timestamp" | "numeric" | "categorical" | "text" | "empty";

export interface ColumnInfo {
  index: number;
  name: string;
  inferredType: InferredType;
  nonEmpty: number;
  /** Fraction of non-empty sampled cells that parse as the inferred type. */
  parsedFraction: number;
  distinct: number;
  examples: string[];
}

export function cellText(c: Cell): string {
  if (c === null) return "";
  if (c instanceof Date) return c.toISOString();
  return String(c);
}

const SAMPLE = 20_000;

export function inferColumns(t: Table): ColumnInfo[] {
  const sample = t.rows.length > SAMPLE ? t.rows.filter((_, i) => i % Math.ceil(t.rows.length / SAMPLE) === 0) : t.rows;
  return t.headers.map((name, index) => {
    let nonEmpty = 0,
      ts = 0,
      num = 0;
    const distinct = new Set<string>();
    const examples: string[] = [];
    for (const r of sample) {
      const c = r[index] ?? null;
      const text = cellText(c);
      if (text === "") continue;
      nonEmpty++;
      if (examples.length < 3) examples.push(text);
      if (distinct.size <= 1000) distinct.add(text);
      const n = parseNumber(c instanceof Date ? null : c);
      if (n.kind === "number" || n.kind === "nonfinite") num++;
      else if (parseTimestamp(c) !== null) ts++;
    }
    let inferredType: InferredType = "empty";
    let parsedFraction = 0;
    if (nonEmpty > 0) {
      if (ts / nonEmpty >= 0.9) [inferredType, parsedFraction] = ["timestamp", ts / nonEmpty];
      else if (num / nonEmpty >= 0.9) [inferredType, parsedFraction] = ["numeric", num / nonEmpty];
      else if (distinct.size <= 50) [inferredType, parsedFraction] = ["categorical", 1];
      else [inferredType, parsedFraction] = ["text", 1];
    }
    return { index, name, inferredType, nonEmpty, parsedFraction, distinct: distinct.size, examples };
  });
}

export function inspectTable(t: Table, previewRows = 20) {
  return {
    format: t.format,
    rowCount: t.rows.length,
    columns: inferColumns(t),
    preview: t.rows.slice(0, previewRows).map((r) => t.headers.map((_, i) => cellText(r[i] ?? null))),
  };
}
