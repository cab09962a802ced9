/**
 * Battery Lab testing: the one schema of a test job (the form's zodValidate and the router's
 * input) and the shapes the service returns. Pure zod, safe in the browser bundle.
 */
import { z } from "zod";
import type { TaskStatus } from "../../jobs/states.js";
import type { TargetMetrics } from "../ml/metrics.js";
import type { EarlyLifeInput } from "./training.js";
import { LOCALES, type Locale } from "../i18n/locales.js";

export const TEST_TARGETS = ["pcl", "rul"] as const;
export type TestTarget = (typeof TEST_TARGETS)[number];
export const TARGET_LABELS: Record<TestTarget, string> = { pcl: "PCL", rul: "RUL" };

export const TEST_LIMITS = { maxCells: 2000, maxHorizon: 1000 } as const;

export const createTestJobInput = z.object({
  name: z.string().trim().max(120).optional(),
  versionId: z
    .number({ invalid_type_error: "testing:errors.versionRequired" })
    .int()
    .positive("testing:errors.versionRequired"),
  /** The built-in dataset or one of the caller's uploads. */
  datasetId: z
    .number({ invalid_type_error: "testing:errors.sourceRequired" })
    .int()
    .positive("testing:errors.sourceRequired"),
  /** Cell keys of the dataset; empty means every cell (an upload's usual choice). */
  cellKeys: z
    .array(z.string().min(1).max(64))
    .max(TEST_LIMITS.maxCells)
    .refine((c) => new Set(c).size === c.length, { message: "testing:errors.cellTwice" })
    .default([]),
  /** The preset the cells came from (display only). */
  preset: z.string().max(40).optional(),
  targets: z
    .array(z.enum(TEST_TARGETS))
    .min(1, "testing:errors.targetsRequired")
    .refine((t) => new Set(t).size === t.length, { message: "testing:errors.targetTwice" }),
  /** Cycles ahead; default: the version's horizon. */
  horizon: z
    .number({ invalid_type_error: "testing:errors.horizonNumber" })
    .int("testing:errors.horizonWhole")
    .min(0, "testing:errors.horizonMin")
    .max(TEST_LIMITS.maxHorizon, "testing:errors.horizonMax")
    .optional(),
  /** The language of the XLSX export (sheet names, headers): the page's, else the user's stored one. */
  locale: z.enum(LOCALES).optional(),
});
export type CreateTestJobInput = z.input<typeof createTestJobInput>;

export const testJobIdInput = z.object({ id: z.number().int().positive() });
export const listTestJobsInput = z.object({ limit: z.number().int().min(1).max(200).default(50) }).default({});
export const testJobCellInput = z.object({
  id: z.number().int().positive(),
  cellKey: z.string().min(1).max(64),
  /** At most this many points per series (LTTB); the metrics are always on every sample. */
  maxPoints: z.number().int().min(10).max(20_000).default(1500),
});
export const testJobResidualsInput = z.object({
  id: z.number().int().positive(),
  target: z.enum(TEST_TARGETS),
  bins: z.number().int().min(5).max(200).default(40),
});
export const EXPORT_FORMATS = ["csv", "xlsx"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Every metric of one target: what server/ml/metrics.ts targetMetrics computes. */
export type MetricSet = TargetMetrics;
export type CellMetrics = Partial<Record<TestTarget, MetricSet>>;

/** What a test job stores as its request (plus a snapshot of the version and the source). */
export interface TestJobConfig {
  versionId: number;
  version: {
    name: string;
    algorithm: string;
    target: string;
    window: number;
    horizon: number;
    features: string[];
    inputNames: string[];
    /** History-aware versions (issue #22): the history their inputs read; absent = none. */
    history?: { window: number; pcl: boolean; trends: boolean; early: EarlyLifeInput[] };
    outputNames: TestTarget[];
    config: Record<string, unknown>;
    trainedOn: string;
  };
  datasetId: number;
  datasetName: string;
  source: "builtin" | "upload";
  preset: string | null;
  cellKeys: string[];
  targets: TestTarget[];
  horizon: number;
  batchSize: number;
  /** The XLSX export's language (absent in jobs stored before exports were translated: English). */
  locale?: Locale;
}

export interface TestJobResult {
  overall: CellMetrics;
  cells: { cellKey: string; n: number; metrics: CellMetrics }[];
  samples: number;
  /** Cells without a single sample (too short for the window and horizon, or missing values). */
  emptyCells: string[];
  elapsedMs: number;
  exports: Partial<Record<ExportFormat, { bytes: number }>>;
}

export interface TestJobSummary {
  id: number;
  name: string;
  status: TaskStatus;
  versionId: number | null;
  versionName: string;
  algorithm: string;
  datasetName: string;
  source: "builtin" | "upload";
  cellCount: number;
  targets: TestTarget[];
  horizon: number;
  jobId: number | null;
  error: string | null;
  createdAt: Date;
  completedAt: Date | null;
}
