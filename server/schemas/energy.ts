/** Energy Lab input schemas, shared by the router and the browser forms (pure zod). */
import { z } from "zod";

export const assetNameSchema = z
  .string()
  .trim()
  .min(1, "energy:errors.nameRequired")
  .max(200, "energy:errors.nameLong");
export const assetIdInput = z.object({ id: z.number().int().positive() });

export const assetCreateInput = z.object({
  name: assetNameSchema,
  description: z.string().trim().max(2000).nullish(),
  unit: z.string().trim().max(32, "energy:errors.unitLong").nullish(),
});
export const assetRenameInput = z.object({ id: z.number().int().positive(), name: assetNameSchema });

export const seriesRangeSchema = z.enum(["1d", "1w", "1m", "all"]);
export const assetSeriesInput = z.object({
  id: z.number().int().positive(),
  range: seriesRangeSchema.default("all"),
  maxPoints: z.number().int().min(10).max(20_000).default(2000),
});

export const evaluateBaselineInput = z.object({
  id: z.number().int().positive(),
  fraction: z.number().gt(0).lt(1).default(0.2),
  /** Steps; defaults: one week of lookback, one day of horizon. */
  lookback: z.number().int().positive().max(100_000).optional(),
  horizon: z.number().int().positive().max(10_000).optional(),
});

/** base64 of at most 20 MB (+ a little for padding). */
const fileInput = {
  fileName: z.string().trim().min(1, "energy:errors.fileNameRequired").max(255),
  contentBase64: z
    .string()
    .min(1, "energy:errors.fileEmpty")
    .max(Math.ceil((20 * 1024 * 1024 * 4) / 3) + 16, "energy:errors.fileTooLarge"),
};
export const uploadInspectInput = z.object(fileInput);

export const columnMappingSchema = z.object({
  timestampColumn: z.string().min(1, "energy:errors.timestampColumnRequired"),
  targetColumn: z.string().min(1, "energy:errors.targetColumnRequired"),
  covariates: z
    .array(z.object({ column: z.string().min(1), kind: z.enum(["numeric", "categorical"]) }))
    .max(50)
    .default([]),
});

export const prepareOptionsSchema = z.object({
  resampleSeconds: z
    .number()
    .int()
    .min(1)
    .max(30 * 86_400)
    .nullable()
    .default(null),
  fill: z.enum(["none", "ffill", "linear"]).default("none"),
  maxGapSteps: z.number().int().min(0).max(10_000).default(4),
});

export const uploadCommitInput = z
  .object({
    ...fileInput,
    mapping: columnMappingSchema,
    options: prepareOptionsSchema.default({}),
    assetId: z.number().int().positive().nullish(),
    newAssetName: assetNameSchema.nullish(),
    unit: z.string().trim().max(32).nullish(),
  })
  .refine((v) => v.mapping.timestampColumn !== v.mapping.targetColumn, {
    message: "energy:errors.targetIsTimestamp",
    path: ["mapping", "targetColumn"],
  })
  .refine((v) => !!v.assetId || !!v.newAssetName, {
    message: "energy:errors.assetOrName",
    path: ["newAssetName"],
  });

export const uploadListInput = z.object({ assetId: z.number().int().positive().optional() }).default({});

/** Forecast with a version from an uploaded file of recent history (CSV/XLSX in the asset's columns). */
export const forecastFileInput = z.object({ id: z.number().int().positive(), ...fileInput });
