/**
 * Early-life cycle-life prediction: the one schema of a task (form and router). Pure zod, safe in
 * the browser bundle. The defaults are the settings bench/generalise/early-life.ts reports.
 */
import { z } from "zod";

export const EARLY_FEATURE_SETS = ["variance", "discharge", "full", "extended"] as const;
export const EARLY_FEATURE_SET_LABELS: Record<(typeof EARLY_FEATURE_SETS)[number], string> = {
  variance: "Variance (Severson): log variance of ΔQ₁₀₀₋₁₀",
  discharge: "Discharge (Severson): ΔQ₁₀₀₋₁₀ statistics + early capacity",
  full: "Full (Severson): ΔQ₁₀₀₋₁₀, capacity fade, charge time, temperature, resistance",
  extended: "Extended: discharge set + change of the dQ/dV curve, cycle 10 → N",
};
export const EARLY_MODEL_CHOICES = ["elastic_net", "least_squares"] as const;
export const EARLY_MODEL_LABELS: Record<(typeof EARLY_MODEL_CHOICES)[number], string> = {
  elastic_net: "Elastic net (regularisation chosen by cross-validation on the training cells)",
  least_squares: "Least squares (no regularisation)",
};
export const EARLY_SPLITS = ["severson", "custom"] as const;

export const EARLY_LIFE_DEFAULTS = {
  featureSet: "extended",
  model: "elastic_net",
  firstCycles: 100,
} as const satisfies { featureSet: (typeof EARLY_FEATURE_SETS)[number]; model: (typeof EARLY_MODEL_CHOICES)[number]; firstCycles: number };
