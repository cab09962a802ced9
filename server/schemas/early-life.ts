/**
 * Early-life cycle-life prediction: the one schema of a task (form and router). Pure zod, safe in
 * the browser bundle. The defaults are the settings bench/generalise/early-life.ts reports.
 */
import { z } from "zod";

export const EARLY_FEATURE_SETS = ["variance", "discharge", "full", "fade", "extended", "summary", "ensemble"] as const;
export const EARLY_FEATURE_SET_LABELS: Record<(typeof EARLY_FEATURE_SETS)[number], string> = {
  variance: "Variance (Severson): log variance of ΔQ₁₀₀₋₁₀",
  discharge: "Discharge (Severson): ΔQ₁₀₀₋₁₀ statistics + early capacity",
  full: "Full (Severson): ΔQ₁₀₀₋₁₀, capacity fade, charge time, temperature, resistance",
  fade: "Capacity fade only (any dataset with PCL, uploads included): PCL slope, intercept and value at cycle N",
  extended: "Extended: discharge set + change of the dQ/dV curve, cycle 10 → N",
  summary: "Summary: full set + capacity change 2 → N, max temperature, mean charge time, dQ/dV variance",
  ensemble: "Ensemble: mean of the summary and extended models (log cycle life)",
};
export const EARLY_MODEL_CHOICES = ["elastic_net", "least_squares", "mlp"] as const;
export const EARLY_MODEL_LABELS: Record<(typeof EARLY_MODEL_CHOICES)[number], string> = {
  elastic_net: "Elastic net (regularisation chosen by cross-validation on the training cells)",
  least_squares: "Least squares (no regularisation)",
  mlp: "MLP (2 × 32, ensemble of 5, native addon)",
};
export const EARLY_SPLITS = ["severson", "custom"] as const;

export const EARLY_LIFE_DEFAULTS = {
  featureSet: "ensemble",
  model: "elastic_net",
  firstCycles: 100,
} as const satisfies {
  featureSet: (typeof EARLY_FEATURE_SETS)[number];
  model: (typeof EARLY_MODEL_CHOICES)[number];
  firstCycles: number;
};

const cellList = z.array(z.string().min(1).max(64)).max(500);

/** A new early-life task. Severson: train on primary_train, test on primary_test and secondary_test. */
export const createEarlyLifeInput = z
  .object({
    name: z.string().trim().min(1, "earlyLife:errors.nameRequired").max(120),
    datasetId: z
      .number({ invalid_type_error: "earlyLife:errors.chooseDataset" })
      .int()
      .positive("earlyLife:errors.chooseDataset"),
    split: z.enum(EARLY_SPLITS).default("severson"),
    trainCells: cellList.default([]),
    testCells: cellList.default([]),
    featureSet: z.enum(EARLY_FEATURE_SETS).default(EARLY_LIFE_DEFAULTS.featureSet),
    model: z.enum(EARLY_MODEL_CHOICES).default(EARLY_LIFE_DEFAULTS.model),
  })
  .superRefine((v, ctx) => {
    if (v.split !== "custom") return;
    const issue = (path: string, message: string) =>
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message });
    if (v.trainCells.length < 5) issue("trainCells", "earlyLife:errors.minTrainCells");
    if (!v.testCells.length) issue("testCells", "earlyLife:errors.testCellRequired");
    const train = new Set(v.trainCells);
    if (v.testCells.some((c) => train.has(c))) issue("testCells", "earlyLife:errors.overlap");
  });
export type EarlyLifeInput = z.input<typeof createEarlyLifeInput>;

export const earlyLifeIdInput = z.object({ id: z.number().int().positive() });
export const earlyLifeExportInput = z.object({
  id: z.number().int().positive(),
  format: z.enum(["csv", "xlsx"]),
  /** The language the asking page shows (XLSX sheet names and headers); else the user's stored one. */
  locale: z.string().max(16).optional(),
});

/** The stored request: the validated input resolved to cell lists, plus the cycles read. */
export interface EarlyLifeConfig {
  name: string;
  datasetId: number;
  datasetName: string;
  split: (typeof EARLY_SPLITS)[number];
  featureSet: (typeof EARLY_FEATURE_SETS)[number];
  model: (typeof EARLY_MODEL_CHOICES)[number];
  firstCycles: number;
  trainCells: string[];
  testGroups: { name: string; cells: string[] }[];
}

export interface EarlyLifeResult {
  /** Linear models: coefficients on log10 cycle life; null for the MLP. */
  features: { key: string; label: string; coef: number | null }[];
  intercept: number | null;
  /** An ensemble has no single (α, λ): null there, with each member's choice in `members`. */
  cv: {
    l1Ratio: number | null;
    lambda: number | null;
    cvRmse: number;
    members?: { featureSet: string; l1Ratio: number; lambda: number; cvRmse: number }[];
  } | null;
  train: { rmse: number; mape: number; cells: number };
  groups: {
    name: string;
    rmse: number;
    mape: number;
    cells: { key: string; trueLife: number; predictedLife: number }[];
  }[];
  elapsedMs: number;
}
