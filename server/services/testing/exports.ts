/**
 * A finished test job's exports: CSV (the detail rows) and XLSX (sheets meta, overall, per_cell,
 * detail), written through artifacts() under {userId}/test-exports/{testJobId}/. Numbers are written
 * at full precision, so metrics recomputed from the detail rows equal the ones the platform shows.
 */
import { PassThrough } from "node:stream";
import ExcelJS from "exceljs";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import {
  TARGET_LABELS,
  type CellMetrics,
  type ExportFormat,
  type TestJobConfig,
  type TestTarget,
} from "../../schemas/testing.js";
import type { CellSeries } from "./cell-blob.js";
import { csvLine } from "../../csv.js";
import { translateKey } from "../../i18n/translate.js";

export const EXPORT_FILES: Record<ExportFormat, string> = { csv: "result.csv", xlsx: "result.xlsx" };
export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
};
export const exportKey = (userId: number, testJobId: number, format?: ExportFormat) =>
  artifactKey(userId, "test-exports", testJobId, format ? EXPORT_FILES[format] : undefined);

export const DETAIL_COLUMNS = ["cell", "cycle", "target", "y_true", "y_pred", "residual"] as const;
export const METRIC_COLUMNS = ["n", "rmspe", "rmspe_excluded", "mse", "rmse", "mae", "r2"] as const;

export interface ExportInput {
  testJobId: number;
  name: string;
  createdAt: Date;
  cfg: TestJobConfig;
  overall: CellMetrics;
  cells: (CellSeries & { cellKey: string; metrics: CellMetrics })[];
}

const num = (v: number) => (Number.isFinite(v) ? v : null);
const metricRow = (m: NonNullable<CellMetrics[TestTarget]>) => [
  m.n,
  num(m.rmspe),
  m.rmspeExcluded,
  num(m.mse),
  num(m.rmse),
  num(m.mae),
  num(m.r2),
];

/** Detail rows in cell, target, cycle order. */
function* detailRows(input: ExportInput): Generator<[string, number, TestTarget, number, number, number]> {
  for (const c of input.cells) {
    for (const t of input.cfg.targets) {
      const v = c.byTarget[t]!;
      for (let i = 0; i < c.cycle.length; i++)
        yield [c.cellKey, c.cycle[i], t, v.yTrue[i], v.yPred[i], v.yPred[i] - v.yTrue[i]];
    }
  }
}

export function buildCsv(input: ExportInput): string {
  const lines: string[] = [DETAIL_COLUMNS.join(",")];
  for (const r of detailRows(input)) lines.push(csvLine(r));
  return lines.join("\n") + "\n";
}

/** The XLSX's words in the job's language (English for jobs stored before exports were translated). */
const xlsxText =
  (input: ExportInput) =>
  (key: string, params?: Record<string, unknown>): string =>
    translateKey(input.cfg.locale ?? "en", key, params);

export function metaRows(input: ExportInput): [string, string | number][] {
  const { cfg } = input;
  const t = xlsxText(input);
  const source = t(cfg.source === "builtin" ? "testing:report.builtin" : "testing:report.upload");
  return [
    [t("testing:xlsx.testJob"), `${input.name} (#${input.testJobId})`],
    [t("testing:xlsx.modelVersion"), `${cfg.version.name} (#${cfg.versionId})`],
    [t("testing:xlsx.algorithm"), cfg.version.algorithm],
    [t("testing:xlsx.modelTarget"), cfg.version.target],
    [t("testing:xlsx.features"), cfg.version.features.join(", ")],
    [t("testing:xlsx.window"), cfg.version.window],
    [t("testing:xlsx.horizon"), cfg.horizon],
    [t("testing:xlsx.trainedOn"), cfg.version.trainedOn],
    [t("testing:xlsx.config"), JSON.stringify(cfg.version.config)],
    [
      t("testing:xlsx.source"),
      cfg.preset
        ? t("testing:report.sourceValuePreset", { dataset: cfg.datasetName, source, preset: cfg.preset })
        : t("testing:report.sourceValue", { dataset: cfg.datasetName, source }),
    ],
    [t("testing:xlsx.cells"), cfg.cellKeys.join(", ")],
    [t("testing:xlsx.targets"), cfg.targets.map((k) => TARGET_LABELS[k]).join(", ")],
    [t("testing:xlsx.createdAt"), input.createdAt.toISOString()],
    [t("testing:xlsx.rmspe"), t("testing:xlsx.rmspeNote")],
    [t("testing:xlsx.residual"), t("testing:xlsx.residualNote")],
  ];
}

/** Streams the workbook (no shared strings, no styles: much faster for the ~100k-row detail sheet). */
export async function buildXlsx(input: ExportInput): Promise<Buffer> {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on("data", (c: Buffer) => chunks.push(c));
  const ended = new Promise<void>((resolve, reject) => (sink.on("end", resolve), sink.on("error", reject)));
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: sink, useSharedStrings: false, useStyles: false });
  wb.creator = "VoltLab";
  wb.created = input.createdAt;
  const sheet = (name: string, header: string[], rows: Iterable<unknown[]>, widths: number[] = []) => {
    const ws = wb.addWorksheet(name);
    widths.forEach((w, i) => (ws.getColumn(i + 1).width = w));
    ws.addRow(header).commit();
    for (const r of rows) ws.addRow(r).commit();
    ws.commit();
  };
  // Sheet names and headers in the job's language; the values stay the same in every language.
  const tr = xlsxText(input);
  const col = (c: (typeof DETAIL_COLUMNS)[number] | (typeof METRIC_COLUMNS)[number]) => tr(`testing:xlsx.columns.${c}`);
  const metricHeaders = METRIC_COLUMNS.map(col);
  sheet(
    tr("testing:xlsx.sheets.meta"),
    [tr("testing:xlsx.field"), tr("testing:xlsx.value")],
    metaRows(input),
    [16, 100],
  );
  const overall: unknown[][] = [];
  for (const t of input.cfg.targets) if (input.overall[t]) overall.push([t, ...metricRow(input.overall[t]!)]);
  sheet(tr("testing:xlsx.sheets.overall"), [col("target"), ...metricHeaders], overall);
  const perCell: unknown[][] = [];
  for (const c of input.cells)
    for (const t of input.cfg.targets) if (c.metrics[t]) perCell.push([c.cellKey, t, ...metricRow(c.metrics[t]!)]);
  sheet(tr("testing:xlsx.sheets.perCell"), [col("cell"), col("target"), ...metricHeaders], perCell);
  sheet(tr("testing:xlsx.sheets.detail"), DETAIL_COLUMNS.map(col), detailRows(input));
  await wb.commit();
  await ended;
  return Buffer.concat(chunks);
}

/** Writes both files; returns their sizes. */
export async function writeExports(
  userId: number,
  input: ExportInput,
): Promise<Record<ExportFormat, { bytes: number }>> {
  const csv = Buffer.from(buildCsv(input));
  const xlsx = await buildXlsx(input);
  await artifacts().put(exportKey(userId, input.testJobId, "csv"), csv);
  await artifacts().put(exportKey(userId, input.testJobId, "xlsx"), xlsx);
  return { csv: { bytes: csv.length }, xlsx: { bytes: xlsx.length } };
}
