/** Anomaly detection inputs (pure zod: shared by the router and the forms). */
import { z } from "zod";
import { columnMappingSchema, prepareOptionsSchema } from "./energy.js";

const id = z.number().int().positive();
const between01 = "anomaly:errors.between01";
const ts = z.number().int().min(0).max(8.64e15);

export const SCORE_MODES = ["raw", "width"] as const;
export const ANOMALY_LIMITS = { maxScorePoints: 1000, maxMergeGap: 10_000, maxFitPoints: 50_000 } as const;

/**
 * The score is a distance from the median forecast (|y − median|, or that over the 10–90 %
 * width), so only large scores are anomalies. A high quantile below the median puts the threshold
 * under the typical error and flags points the forecast predicts well; a low quantile would flag
 * the near-perfect forecasts themselves. Both are refused.
 */
export const HIGH_QUANTILE_MIN = 0.5;

export const fitDetectorInput = z
  .object({
    modelVersionId: id,
    name: z.string().trim().max(200).optional(),
    /** Refused when set (see HIGH_QUANTILE_MIN); stays in the input so old clients sending null still work. */
    lowQuantile: z.null({ invalid_type_error: "anomaly:errors.lowQuantile" }).default(null),
    highQuantile: z
      .number({ invalid_type_error: "anomaly:errors.highQuantileRequired" })
      .min(HIGH_QUANTILE_MIN, "anomaly:errors.highQuantileTooLow")
      .lt(1, between01)
      .default(0.99),
    scoreMode: z.enum(SCORE_MODES).default("raw"),
    /** Flags at most this many points apart are one event. */
    mergeGap: z.number().int().min(1).max(ANOMALY_LIMITS.maxMergeGap).default(12),
    /** Fit range (epoch ms, inclusive); default: the version's training part (before its held-out tail). */
    fitFrom: ts.nullish(),
    fitTo: ts.nullish(),
  })
  .refine((v) => v.fitFrom == null || v.fitTo == null || v.fitFrom < v.fitTo, {
    path: ["fitTo"],
    message: "anomaly:errors.endBeforeStart",
  });
export type FitDetectorInput = z.input<typeof fitDetectorInput>;

/**
 * A streaming detector on an asset's values (the default kind). Probation: the first 15 % of the
 * asset's points (at most 750), or the points from probationFrom to probationTo (epoch ms,
 * inclusive), where the stream then starts. The threshold defaults to the one bench/nab chose.
 */
export const fitStreamingInput = z
  .object({
    assetId: id,
    name: z.string().trim().max(200).optional(),
    probationFrom: ts.nullish(),
    probationTo: ts.nullish(),
    threshold: z.number().gt(0, between01).max(1, between01).optional(),
  })
  .refine((v) => v.probationFrom == null || v.probationTo == null || v.probationFrom < v.probationTo, {
    path: ["probationTo"],
    message: "anomaly:errors.endBeforeStart",
  });
export type FitStreamingInput = z.input<typeof fitStreamingInput>;

export const detectorIdInput = z.object({ id });
export const detectorListInput = z.object({ assetId: id.optional(), modelVersionId: id.optional() }).default({});

const fileFields = {
  fileName: z.string().trim().min(1, "anomaly:errors.fileNameRequired").max(255),
  contentBase64: z
    .string()
    .min(1, "anomaly:errors.fileEmpty")
    .max(Math.ceil((20 * 1024 * 1024 * 4) / 3) + 16, "anomaly:errors.fileTooLarge"),
};

export const detectInput = z.discriminatedUnion("source", [
  z.object({
    source: z.literal("range"),
    detectorId: id,
    from: ts.nullish(),
    to: ts.nullish(),
    mergeGap: z.number().int().min(1).max(ANOMALY_LIMITS.maxMergeGap).optional(),
  }),
  z.object({
    source: z.literal("upload"),
    detectorId: id,
    ...fileFields,
    mapping: columnMappingSchema,
    options: prepareOptionsSchema.default({}),
    mergeGap: z.number().int().min(1).max(ANOMALY_LIMITS.maxMergeGap).optional(),
  }),
]);
export type DetectInput = z.input<typeof detectInput>;

export const detectionIdInput = z.object({ id });
export const detectionGetInput = z.object({ id, maxPoints: z.number().int().min(100).max(50_000).default(4000) });
export const detectionListInput = z.object({ detectorId: id.optional() }).default({});
export const detectionCsvInput = z.object({ id, what: z.enum(["events", "points"]).default("events") });

export const scorePointSchema = z.object({
  ts: ts,
  value: z.number().finite().nullable(),
  /** Covariate values by name (the asset's covariates); missing ones are unknown. */
  covariates: z.record(z.union([z.number().finite(), z.string().max(200), z.null()])).optional(),
});
export const scoreInput = z.object({
  assetId: id,
  detectorId: id,
  points: z
    .array(scorePointSchema)
    .min(1)
    .max(ANOMALY_LIMITS.maxScorePoints)
    .refine((p) => p.every((x, i) => i === 0 || x.ts > p[i - 1].ts), "anomaly:errors.pointsNotIncreasing"),
});
export type ScoreInput = z.input<typeof scoreInput>;

export const streamInput = z.object({ detectorId: id, limit: z.number().int().min(1).max(5000).default(500) });
export const liveInput = z.object({ detectorId: id, lastEventId: z.string().max(40).nullish() });
