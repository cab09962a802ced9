/**
 * REST's forecast from recent history (POST /energy/models/{id}/forecast-from-history): a script
 * sends the history as CSV text, as JSON points (the shape real-time scoring takes) or as a file in
 * base64 (as the tRPC procedure); each becomes the file energyModels.forecastFromFile reads, so
 * the validation and the refusals (wrong columns, another frequency, too short a history, a gap)
 * are that procedure's. A refusal names the field the script sent.
 */
import { z } from "zod";
import { scorePointSchema } from "../schemas/anomaly.js";
import { forecastFileInput } from "../schemas/energy.js";
import { readableAsset } from "../services/energy/access.js";

/** CSV text up to 15 MiB: its base64 stays within the procedure's 20 MiB file limit. */
export const MAX_HISTORY_CSV_BYTES = 15 * 1024 * 1024;
export const MAX_HISTORY_POINTS = 100_000;
const SOURCES = ["csv", "points", "contentBase64"] as const;

export const historyInput = z
  .object({
    id: z.number().int().positive().describe("The forecasting model version"),
    csv: z
      .string()
      .min(1)
      .optional()
      .describe(
        "The history as CSV text: a header row with a timestamp column, the asset's target column and the model's covariates",
      ),
    points: z
      .array(scorePointSchema)
      .min(1)
      .max(MAX_HISTORY_POINTS)
      .optional()
      .describe("The history as points: ts (epoch ms), value (the target), covariates by name"),
    fileName: forecastFileInput.shape.fileName.optional().describe("With contentBase64: the file's name (.csv, .xlsx)"),
    contentBase64: forecastFileInput.shape.contentBase64.optional().describe("A CSV or XLSX file, base64-encoded"),
  })
  .superRefine((v, ctx) => {
    const sent = SOURCES.filter((k) => v[k] !== undefined);
    if (sent.length !== 1)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: [sent[1] ?? "csv"],
        message: `Send the history one way: csv, points or contentBase64 (with fileName); got ${sent.length ? sent.join(" and ") : "none"}`,
      });
    if (v.contentBase64 !== undefined && v.fileName === undefined)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["fileName"],
        message: "fileName is required with contentBase64",
      });
    if (v.csv !== undefined && Buffer.byteLength(v.csv) > MAX_HISTORY_CSV_BYTES)
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ["csv"],
        message: `The CSV text is over ${MAX_HISTORY_CSV_BYTES} bytes`,
      });
  });
export type HistoryInput = z.infer<typeof historyInput>;

/** Quoted when it must be (a comma, quote or line break); nothing else changes, so column names stay as sent. */
const cell = (s: string) => (/[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** Points as the CSV file the procedure reads: timestamp (ISO 8601, UTC), the target, each covariate named. */
export function pointsCsv(points: z.infer<typeof scorePointSchema>[], targetName: string): string {
  const covariates = [...new Set(points.flatMap((p) => Object.keys(p.covariates ?? {})))];
  const taken = new Set([targetName, ...covariates]);
  const tsColumn = ["timestamp", "time_utc", "ts_utc"].find((c) => !taken.has(c)) ?? "timestamp_utc";
  const lines = [[tsColumn, targetName, ...covariates].map(cell).join(",")];
  for (const p of points) {
    const values = [p.value, ...covariates.map((c) => p.covariates?.[c] ?? null)];
    lines.push([new Date(p.ts).toISOString(), ...values.map((v) => (v === null ? "" : cell(String(v))))].join(","));
  }
  return lines.join("\n") + "\n";
}

/** The procedure's input ({ id, fileName, contentBase64 }) for what the script sent. */
export async function historyFile(input: HistoryInput, ctx: { userId: number; caller: any }) {
  if (input.contentBase64 !== undefined)
    return { id: input.id, fileName: input.fileName!, contentBase64: input.contentBase64 };
  if (input.csv !== undefined)
    return { id: input.id, fileName: "history.csv", contentBase64: Buffer.from(input.csv).toString("base64") };
  // Points need the asset's target column name: the version (the caller's, else NOT_FOUND) names the asset.
  const version = (await ctx.caller.energyModels.get({ id: input.id })) as { assetId: number };
  const asset = await readableAsset(ctx.userId, version.assetId);
  const csv = pointsCsv(input.points!, asset.targetName);
  return { id: input.id, fileName: "points.csv", contentBase64: Buffer.from(csv).toString("base64") };
}

/** The field a refusal of the file names (contentBase64) becomes the one the script sent. */
export function historyField(field: string, input: HistoryInput): string {
  if (field !== "contentBase64") return field;
  return input.csv !== undefined ? "csv" : input.points !== undefined ? "points" : field;
}
