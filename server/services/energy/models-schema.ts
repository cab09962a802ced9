/** Energy model training request (pure zod: shared by the router and the training form). */
import { z } from "zod";

/** What a version is (its stored kind). */
export const ENERGY_MODEL_KINDS = [
  "seasonal-naive",
  "seasonal-mean",
  "seasonal-median",
  "gbdt",
  "lstm",
  "tide",
  "tft",
] as const;
export type EnergyModelKindName = (typeof ENERGY_MODEL_KINDS)[number];
/** What the form can ask for: a kind, or Auto (the default: the best candidate on the validation part). */
export const TRAIN_CHOICES = ["auto", ...ENERGY_MODEL_KINDS] as const;
export type TrainChoice = (typeof TRAIN_CHOICES)[number];

export const ENERGY_MODEL_LABELS: Record<TrainChoice, string> = {
  auto: "Auto (best of seasonal naive, seasonal mean, seasonal median, GBDT, TiDE)",
  "seasonal-naive": "Seasonal naive",
  "seasonal-mean": "Seasonal mean (same time, past days)",
  "seasonal-median": "Seasonal median (same time, past days)",
  gbdt: "GBDT (XGBoost, leaf-wise)",
  lstm: "LSTM",
  tide: "TiDE",
  tft: "TFT",
};

/** Epoch (nets) / boosting-round (GBDT) caps: training runs on shared CPUs. */
export const ENERGY_LIMITS = {
  maxEpochs: 100,
  maxRounds: 2000,
  maxLookback: 2048,
  maxHorizon: 672,
  maxBudgetSeconds: 600,
} as const;

export const trainEnergyModelSchema = z
  .object({
    assetId: z.number().int().positive(),
    kind: z.enum(TRAIN_CHOICES).default("auto"),
    /** Steps; left out: derived from the asset's frequency (defaults.ts). */
    lookback: z.number().int().min(8).max(ENERGY_LIMITS.maxLookback).optional(),
    horizon: z.number().int().min(1).max(ENERGY_LIMITS.maxHorizon).optional(),
    quantiles: z
      .array(z.number().gt(0).lt(1))
      .min(3)
      .max(9)
      .default([0.1, 0.5, 0.9])
      .refine((q) => q.every((v, i) => i === 0 || v > q[i - 1]), "forecast:errors.quantilesAscending")
      .refine(
        (q) => [0.1, 0.5, 0.9].every((v) => q.some((x) => Math.abs(x - v) < 1e-9)),
        "forecast:errors.quantilesStandard",
      ),
    /** Epochs (LSTM, TiDE, TFT) or boosting rounds (GBDT); left out: the kind's default. Not used by Auto and seasonal naive. */
    epochs: z.number().int().min(1).max(ENERGY_LIMITS.maxRounds).optional(),
    learningRate: z.number().gt(0).max(1).optional(),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(0),
    /** Auto: seconds for all candidates together. */
    budgetSeconds: z.number().int().min(10).max(ENERGY_LIMITS.maxBudgetSeconds).optional(),
  })
  .refine((v) => v.kind === "gbdt" || v.epochs === undefined || v.epochs <= ENERGY_LIMITS.maxEpochs, {
    path: ["epochs"],
    message: "forecast:errors.epochsMax",
    params: { maximum: ENERGY_LIMITS.maxEpochs },
  });

export type TrainEnergyModelInput = z.input<typeof trainEnergyModelSchema>;

export const DEFAULT_TRAINING: Record<
  Exclude<EnergyModelKindName, "seasonal-naive" | "seasonal-mean" | "seasonal-median">,
  { epochs: number; learningRate: number }
> = {
  gbdt: { epochs: 150, learningRate: 0.3 },
  lstm: { epochs: 8, learningRate: 1e-3 },
  tide: { epochs: 15, learningRate: 1e-3 },
  tft: { epochs: 5, learningRate: 1e-3 },
};

/** Kinds with weights to train (epochs / rounds and a learning rate apply). */
export function trainsWeights(kind: TrainChoice): kind is keyof typeof DEFAULT_TRAINING {
  return kind in DEFAULT_TRAINING;
}
