/** Battery Lab input schemas, shared by the router and the browser forms (pure zod). */
import { z } from "zod";

/** Upload limits, stated in the UI and the README. */
export const UPLOAD_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 500_000,
  maxCells: 2_000,
  maxFeatures: 50,
} as const;

export const datasetIdInput = z.object({ datasetId: z.number().int().positive() });
export const batteryIdInput = z.object({ id: z.number().int().positive() });

const cellIds = z.array(z.number().int().positive()).min(1, "battery:errors.chooseCell").max(UPLOAD_LIMITS.maxCells);

export const analysisInput = z.object({
  datasetId: z.number().int().positive(),
  cellIds,
  features: z.array(z.string().min(1).max(64)).max(UPLOAD_LIMITS.maxFeatures).optional(),
  bins: z.number().int().min(5).max(100).default(30),
});

export const trendsInput = z.object({
  datasetId: z.number().int().positive(),
  cellIds,
  variable: z.string().min(1).max(64),
  maxPoints: z.number().int().min(20).max(2_000).default(300),
  maxLines: z.number().int().min(1).max(50).default(12),
});

export const scatterInput = z.object({
  datasetId: z.number().int().positive(),
  cellIds,
  feature: z.string().min(1).max(64),
  target: z.enum(["rul", "pcl"]).default("rul"),
  maxPointsPerCell: z.number().int().min(20).max(1_000).default(150),
  maxCells: z.number().int().min(1).max(50).default(12),
});

export const uploadInput = z.object({
  fileName: z.string().trim().min(1, "battery:errors.fileNameRequired").max(255),
  /** The file, base64-encoded (the decoded size is checked against UPLOAD_LIMITS.maxBytes). */
  contentBase64: z.string().max(Math.ceil((UPLOAD_LIMITS.maxBytes * 4) / 3) + 16, "battery:errors.fileTooLarge"),
  name: z.string().trim().max(200).optional(),
  /** Needed when the file has a discharge capacity instead of pcl: PCL = 1 − Qd / nominal. */
  nominalCapacityAh: z.number().positive().max(10_000).optional(),
  /** End of life at this SoH (e.g. 0.8): RUL = EOL cycle − cycle when the file has no rul. */
  eolSoh: z.number().min(0.1).max(0.99).default(0.8),
});
export type UploadInput = z.input<typeof uploadInput>;
