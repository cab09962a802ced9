/**
 * Turns a parsed table and the user's column mapping into points on a time grid plus a
 * data-quality report (pure: no database, no files).
 *
 * Rules:
 * - A row whose timestamp does not parse is dropped and reported. Naive timestamps are UTC.
 * - A target or numeric covariate cell that is not a number is stored as missing and reported;
 *   NaN/inf spellings are counted apart. More than UPLOAD_LIMITS.badCellTolerance (5 %) bad
 *   cells in a mapped column (non-timestamps in the timestamp column, text in a numeric one)
 *   rejects the file, as does a file with no parsable timestamp or no finite target value.
 * - Rows are sorted by time; a repeated timestamp keeps its first row in file order.
 * - Frequency: the median positive step. Gaps: steps longer than 1.5 × frequency.
 * - Resampling (optional) to `resampleSeconds` buckets labelled by their start:
 *   mean of finite values for numeric columns, last non-empty value for categorical ones.
 * - Gap filling (optional): runs of at most `maxGapSteps` missing steps (absent grid points and
 *   missing values) are filled by forward fill or time-linear interpolation (categorical
 *   covariates always forward-fill); filled points carry POINT_FLAGS.FILLED. Longer runs stay gaps.
 */
import { median } from "simple-statistics";
import type { Table } from "./parse-file.js";
import { reason, reasonTexts, type Reason } from "./reasons.js";
import { cellText } from "./parse-file.js";
import { parseNumber, parseTimestamp } from "./timestamps.js";
import type { CovariateSeries, LoadedSeries } from "./series.js";
import { POINT_FLAGS, UPLOAD_LIMITS, type CovariateKind, type CovariateSpec } from "./types.js";

export interface ColumnMapping {
  timestampColumn: string;
  targetColumn: string;
  covariates: { column: string; kind: CovariateKind }[];
}

export interface PrepareOptions {
  resampleSeconds: number | null;
  fill: "none" | "ffill" | "linear";
  maxGapSteps: number;
}

export interface PreparedPoint {
  ts: number;
  value: number | null;
  covariates: (number | string | null)[];
  flags: number;
}

export interface RowIssue {
  row: number;
  column: string;
  value: string;
  reason: string;
}

const EXAMPLES = 10;
const ISSUE_LIST = 50;

export interface UploadReport {
  rowCount: number;
  parsedRows: number;
  timezone: string;
  firstTs: string | null;
  lastTs: string | null;
  inferredFrequencySeconds: number | null;
  frequencySeconds: number | null;
  resampled: boolean;
  gaps: {
    count: number;
    missingSteps: number;
    largest: { from: string; to: string; seconds: number } | null;
    first: { from: string; to: string; seconds: number }[];
  };
  duplicates: { count: number; first: { row: number; firstRow: number; timestamp: string }[] };
  unparsable: { count: number; byColumn: Record<string, number>; first: RowIssue[] };
  nanInf: { count: number; first: RowIssue[] };
  missingTarget: number;
  nonMonotonic: { count: number; first: { row: number; timestamp: string; previous: string }[] };
  filled: number;
  unfilledGaps: number;
  points: number;
}

export interface PrepareResult {
  ok: boolean;
  /** Why the file is refused, in English; `reasonRefs` the same as catalog keys for the page. */
  reasons: string[];
  reasonRefs: Reason[];
  report: UploadReport;
  points: PreparedPoint[];
}

const iso = (t: number) => new Date(t).toISOString();

export function prepareSeries(t: Table, mapping: ColumnMapping, opts: PrepareOptions): PrepareResult {
  const reasons: Reason[] = [];
  const refused = () => ({ ok: false, reasons: reasonTexts(reasons), reasonRefs: reasons, report, points: [] });
  const col = (name: string) => t.headers.indexOf(name);
  const tsIdx = col(mapping.timestampColumn),
    yIdx = col(mapping.targetColumn);
  const covIdx = mapping.covariates.map((c) => col(c.column));
  for (const [name, i] of [
    [mapping.timestampColumn, tsIdx],
    [mapping.targetColumn, yIdx],
    ...mapping.covariates.map((c, j) => [c.column, covIdx[j]] as const),
  ] as const) {
    if (i < 0) reasons.push(reason("energy:reasons.missingColumn", { column: name }));
  }
  const report: UploadReport = {
    rowCount: t.rows.length,
    parsedRows: 0,
    timezone: "timestamps without a time zone were read as UTC",
    firstTs: null,
    lastTs: null,
    inferredFrequencySeconds: null,
    frequencySeconds: null,
    resampled: opts.resampleSeconds !== null,
    gaps: { count: 0, missingSteps: 0, largest: null, first: [] },
    duplicates: { count: 0, first: [] },
    unparsable: { count: 0, byColumn: {}, first: [] },
    nanInf: { count: 0, first: [] },
    missingTarget: 0,
    nonMonotonic: { count: 0, first: [] },
    filled: 0,
    unfilledGaps: 0,
    points: 0,
  };
  if (reasons.length) return refused();

  const issue = (row: number, column: string, value: string, reason: string) => {
    report.unparsable.count++;
    report.unparsable.byColumn[column] = (report.unparsable.byColumn[column] ?? 0) + 1;
    if (report.unparsable.first.length < ISSUE_LIST) report.unparsable.first.push({ row, column, value, reason });
  };
  const nonEmpty: Record<string, number> = {};

  type Row = { row: number; ts: number; value: number; covs: (number | string | null)[] };
  const rows: Row[] = [];
  let prevTs: number | null = null;
  t.rows.forEach((r, i) => {
    const rowNo = t.firstRowNumber + i;
    const tsCell = r[tsIdx] ?? null;
    if (cellText(tsCell) !== "") nonEmpty[mapping.timestampColumn] = (nonEmpty[mapping.timestampColumn] ?? 0) + 1;
    const ts = parseTimestamp(typeof tsCell === "number" ? String(tsCell) : tsCell);
    if (ts === null) {
      issue(
        rowNo,
        mapping.timestampColumn,
        cellText(tsCell),
        cellText(tsCell) === "" ? "empty timestamp" : "not a recognised timestamp",
      );
      return;
    }
    if (prevTs !== null && ts < prevTs && report.nonMonotonic.count++ < EXAMPLES) {
      report.nonMonotonic.first.push({ row: rowNo, timestamp: iso(ts), previous: iso(prevTs) });
    }
    prevTs = ts;
    const num = (cell: Cell, column: string, isTarget: boolean): number => {
      if (cellText(cell) !== "") nonEmpty[column] = (nonEmpty[column] ?? 0) + 1;
      const p = parseNumber(cell instanceof Date ? cellText(cell) : cell);
      if (p.kind === "number") return p.value;
      if (p.kind === "nonfinite") {
        report.nanInf.count++;
        if (report.nanInf.first.length < EXAMPLES)
          report.nanInf.first.push({ row: rowNo, column, value: cellText(cell), reason: "NaN or infinite" });
      } else if (p.kind === "text") issue(rowNo, column, cellText(cell), "not a number");
      else if (isTarget) report.missingTarget++;
      return NaN;
    };
    const value = num(r[yIdx] ?? null, mapping.targetColumn, true);
    const covs = mapping.covariates.map((c, j) => {
      const cell = r[covIdx[j]] ?? null;
      if (c.kind === "numeric") {
        const v = num(cell, c.column, false);
        return Number.isFinite(v) ? v : null;
      }
      const s = cellText(cell);
      return s === "" ? null : s;
    });
    rows.push({ row: rowNo, ts, value, covs });
  });
  report.parsedRows = rows.length;

  // Tolerances.
  const bad = (c: string) => report.unparsable.byColumn[c] ?? 0;
  const tol = UPLOAD_LIMITS.badCellTolerance;
  if (rows.length === 0) reasons.push(reason("energy:reasons.noTimestamps", { column: mapping.timestampColumn }));
  else if (bad(mapping.timestampColumn) > tol * t.rows.length) {
    reasons.push(
      reason("energy:reasons.badTimestamps", {
        column: mapping.timestampColumn,
        bad: bad(mapping.timestampColumn),
        total: t.rows.length,
        tolerance: tol * 100,
      }),
    );
  }
  if (rows.length > 0 && !rows.some((r) => Number.isFinite(r.value)))
    reasons.push(reason("energy:reasons.noNumbers", { column: mapping.targetColumn }));
  for (const c of [
    mapping.targetColumn,
    ...mapping.covariates.filter((c) => c.kind === "numeric").map((c) => c.column),
  ]) {
    const n = nonEmpty[c] ?? 0;
    if (bad(c) > 0 && bad(c) > tol * Math.max(n, 1))
      reasons.push(reason("energy:reasons.badNumbers", { column: c, bad: bad(c), total: n, tolerance: tol * 100 }));
  }
  if (reasons.length) return refused();

  // Sort (stable: file order among equal timestamps) and drop repeated timestamps.
  rows.sort((a, b) => a.ts - b.ts);
  const unique: Row[] = [];
  for (const r of rows) {
    const last = unique.at(-1);
    if (last && last.ts === r.ts) {
      if (report.duplicates.count++ < EXAMPLES)
        report.duplicates.first.push({ row: r.row, firstRow: last.row, timestamp: iso(r.ts) });
      continue;
    }
    unique.push(r);
  }
  const steps: number[] = [];
  for (let i = 1; i < unique.length; i++) steps.push(unique[i].ts - unique[i - 1].ts);
  const inferred = steps.length ? median(steps) / 1000 : null;
  report.inferredFrequencySeconds = inferred;

  let points: PreparedPoint[] = unique.map((r) => ({
    ts: r.ts,
    value: Number.isFinite(r.value) ? r.value : null,
    covariates: r.covs,
    flags: 0,
  }));
  let freq = inferred !== null ? Math.max(1, Math.round(inferred)) : null;
  if (opts.resampleSeconds) {
    freq = opts.resampleSeconds;
    points = resample(points, mapping, opts.resampleSeconds * 1000);
  }
  report.frequencySeconds = freq;

  // Gaps on the (possibly resampled) grid.
  if (freq) {
    const f = freq * 1000;
    for (let i = 1; i < points.length; i++) {
      const d = points[i].ts - points[i - 1].ts;
      if (d > 1.5 * f) {
        const g = { from: iso(points[i - 1].ts), to: iso(points[i].ts), seconds: d / 1000 };
        report.gaps.count++;
        report.gaps.missingSteps += Math.round(d / f) - 1;
        if (!report.gaps.largest || g.seconds > report.gaps.largest.seconds) report.gaps.largest = g;
        if (report.gaps.first.length < EXAMPLES) report.gaps.first.push(g);
      }
    }
    if (opts.fill !== "none") points = fillGaps(points, mapping, f, opts, report);
  }
  report.points = points.length;
  report.firstTs = points.length ? iso(points[0].ts) : null;
  report.lastTs = points.length ? iso(points.at(-1)!.ts) : null;
  return { ok: true, reasons: [], reasonRefs: [], report, points };
}

type Cell = import("./parse-file.js").Cell;

function resample(points: PreparedPoint[], mapping: ColumnMapping, stepMs: number): PreparedPoint[] {
  const out: PreparedPoint[] = [];
  let i = 0;
  while (i < points.length) {
    const bucket = Math.floor(points[i].ts / stepMs) * stepMs;
    let sum = 0,
      n = 0;
    const cs = mapping.covariates.map(() => ({ sum: 0, n: 0, last: null as string | null }));
    for (; i < points.length && points[i].ts < bucket + stepMs; i++) {
      const p = points[i];
      if (p.value !== null) {
        sum += p.value;
        n++;
      }
      mapping.covariates.forEach((c, j) => {
        const v = p.covariates[j];
        if (v === null) return;
        if (c.kind === "numeric") {
          cs[j].sum += v as number;
          cs[j].n++;
        } else cs[j].last = v as string;
      });
    }
    out.push({
      ts: bucket,
      value: n ? sum / n : null,
      covariates: mapping.covariates.map((c, j) =>
        c.kind === "numeric" ? (cs[j].n ? cs[j].sum / cs[j].n : null) : cs[j].last,
      ),
      flags: 0,
    });
  }
  return out;
}

/** Inserts absent grid points inside short gaps, then fills runs of missing values up to maxGapSteps long. */
function fillGaps(
  points: PreparedPoint[],
  mapping: ColumnMapping,
  f: number,
  opts: PrepareOptions,
  report: UploadReport,
): PreparedPoint[] {
  const grid: PreparedPoint[] = [];
  const inserted = new Set<PreparedPoint>();
  for (let i = 0; i < points.length; i++) {
    if (i > 0) {
      const d = points[i].ts - points[i - 1].ts;
      const missing = Math.round(d / f) - 1;
      if (d > 1.5 * f && missing <= opts.maxGapSteps) {
        for (let k = 1; k <= missing; k++) {
          const p: PreparedPoint = {
            ts: points[i - 1].ts + k * f,
            value: null,
            covariates: mapping.covariates.map(() => null),
            flags: 0,
          };
          inserted.add(p);
          grid.push(p);
        }
      } else if (d > 1.5 * f) report.unfilledGaps++;
    }
    grid.push(points[i]);
  }
  const series = [
    {
      get: (p: PreparedPoint) => p.value,
      set: (p: PreparedPoint, v: number | string) => {
        p.value = v as number;
      },
      linear: opts.fill === "linear",
    },
    ...mapping.covariates.map((c, j) => ({
      get: (p: PreparedPoint) => p.covariates[j],
      set: (p: PreparedPoint, v: number | string) => {
        p.covariates[j] = v;
      },
      linear: opts.fill === "linear" && c.kind === "numeric",
    })),
  ];
  series.forEach((s, si) => {
    let i = 0;
    while (i < grid.length) {
      if (s.get(grid[i]) !== null) {
        i++;
        continue;
      }
      let j = i;
      while (j < grid.length && s.get(grid[j]) === null) j++;
      // Missing run [i, j): fill only between two known points, on the same grid, short enough.
      const before = i - 1,
        after = j;
      if (
        before >= 0 &&
        after < grid.length &&
        j - i <= opts.maxGapSteps &&
        Math.round((grid[after].ts - grid[before].ts) / f) === after - before
      ) {
        const v0 = s.get(grid[before])!,
          v1 = s.get(grid[after])!;
        for (let k = i; k < j; k++) {
          const v = s.linear
            ? (v0 as number) +
              (((v1 as number) - (v0 as number)) * (grid[k].ts - grid[before].ts)) / (grid[after].ts - grid[before].ts)
            : v0;
          s.set(grid[k], v);
          if (si === 0) {
            grid[k].flags |= POINT_FLAGS.FILLED;
            report.filled++;
          }
        }
      }
      i = j;
    }
  });
  // Inserted grid points whose target could not be filled are not stored.
  return grid.filter((p) => p.value !== null || !inserted.has(p));
}

/** Prepared points as the typed-array series the models read (no database: uploaded-file forecasts, benches). */
export function seriesFromPoints(
  points: PreparedPoint[],
  meta: {
    assetId: number;
    targetName: string;
    unit: string | null;
    frequencySeconds: number | null;
    covariates: CovariateSpec[];
  },
): LoadedSeries {
  return {
    assetId: meta.assetId,
    targetName: meta.targetName,
    unit: meta.unit,
    frequencySeconds: meta.frequencySeconds,
    timestamps: Float64Array.from(points, (p) => p.ts),
    values: Float32Array.from(points, (p) => (p.value === null ? NaN : p.value)),
    flags: Uint8Array.from(points, (p) => p.flags),
    covariates: meta.covariates.map((c, j): CovariateSeries => {
      if (c.kind === "numeric")
        return {
          name: c.name,
          kind: "numeric",
          role: c.role,
          values: Float32Array.from(points, (p) => (p.covariates[j] === null ? NaN : (p.covariates[j] as number))),
        };
      const values = points.map((p) => (p.covariates[j] === null ? null : String(p.covariates[j])));
      const categories = [...new Set(values.filter((v): v is string => v !== null))].sort();
      return {
        name: c.name,
        kind: "categorical",
        role: c.role,
        values,
        categories,
        codes: Int32Array.from(values, (v) => (v === null ? -1 : categories.indexOf(v))),
      };
    }),
  };
}
