/** Energy model training request (pure zod: shared by the router and the training form). */
import { z } from "zod";

export const ENERGY_MODEL_KINDS = ["gbdt", "lstm", "tide", "tft"] as const;
export type EnergyModelKindName = (typeof ENERGY_MODEL_KINDS)[number];

export const ENERGY_MODEL_LABELS: Record<EnergyModelKindName, string> = {
  gbdt: "GBDT (XGBoost, leaf-wise)",
  lstm: "LSTM",
  tide: "TiDE",
  tft: "TFT",
};

/** Epoch (nets) / boosting-round (GBDT) caps: training runs on shared CPUs. */
export const ENERGY_LIMITS = { maxEpochs: 100, maxRounds: 2000, maxLookback: 2048, maxHorizon: 672 } as const;

export const trainEnergyModelSchema = z
  .object({
    assetId: z.number().int().positive(),
    kind: z.enum(ENERGY_MODEL_KINDS),
    lookback: z.number().int().min(8).max(ENERGY_LIMITS.maxLookback),
    horizon: z.number().int().min(1).max(ENERGY_LIMITS.maxHorizon),
    quantiles: z
      .array(z.number().gt(0).lt(1))
      .min(3)
      .max(9)
      .default([0.1, 0.5, 0.9])
      .refine((q) => q.every((v, i) => i === 0 || v > q[i - 1]), "Quantiles must be ascending")
      .refine((q) => [0.1, 0.5, 0.9].every((v) => q.some((x) => Math.abs(x - v) < 1e-9)), "Quantiles must include 0.1, 0.5 and 0.9"),
    /** Epochs (LSTM, TiDE, TFT) or boosting rounds (GBDT). */
    epochs: z.number().int().min(1).max(ENERGY_LIMITS.maxRounds),
    learningRate: z.number().gt(0).max(1),
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  })
  .refine((v) => v.kind === "gbdt" || v.epochs <= ENERGY_LIMITS.maxEpochs, { path: ["epochs"], message: `At most ${ENERGY_LIMITS.maxEpochs} epochs` });

export type TrainEnergyModelInput = z.input<typeof trainEnergyModelSchema>;

export const DEFAULT_TRAINING: Record<EnergyModelKindName, { epochs: number; learningRate: number }> = {
  gbdt: { epochs: 150, learningRate: 0.3 },
  lstm: { epochs: 8, learningRate: 1e-3 },
  tide: { epochs: 15, learningRate: 1e-3 },
  tft: { epochs: 5, learningRate: 1e-3 },
};
