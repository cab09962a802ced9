/**
 * Early-life cycle-life models: a linear model of log10 cycle life on a feature set computed from
 * each cell's first N cycles, as in Severson et al. 2019. The elastic net's (α, λ) is chosen by
 * leave-one-cell-out cross-validation on the training cells only (held-out squared error in
 * cycles); "least_squares" is the plain fit (the data and fitting check of the variance model);
 * "mlp" is a small network through the native addon (./mlp.ts).
 * Pure module apart from its inputs.
 */
import { mape, rmse } from "../../ml/metrics.js";
import { cvElasticNet, fitLeastSquares, predict, type LinearModel } from "./elastic-net.js";
import { earlyFeature, featureMatrix, FEATURE_SETS, type EarlyCell, type FeatureSet } from "./features.js";
import { fitMlp, predictMlp, type MlpModel } from "./mlp.js";

export const EARLY_MODELS = ["elastic_net", "least_squares", "mlp"] as const;
export type EarlyModel = (typeof EARLY_MODELS)[number];

/** The mixing values tried by cross-validation (λ: 60 log-spaced values from λmax down to λmax·10⁻⁴). */
export const L1_RATIOS = [0.05, 0.1, 0.3, 0.5, 0.7, 0.9, 1];

export interface FittedEarlyModel {
  featureSet: FeatureSet;
  features: string[];
  model: EarlyModel;
  n: number;
  /** The linear models' fit; null for the MLP. */
  linear: LinearModel | null;
  mlp: MlpModel | null;
  /** Chosen by cross-validation (elastic net only). */
  cv: { l1Ratio: number; lambda: number; cvRmse: number } | null;
  trainCells: string[];
}

/** Refuses cells without a cycle life or without a value of some feature, naming both. */
export function checkCells(cells: EarlyCell[], features: readonly string[], n: number, role: string): number[][] {
  const x = featureMatrix(cells, features, n);
  const gaps: string[] = [];
  cells.forEach((c, i) => {
    const missing = features.filter((_, j) => !Number.isFinite(x[i][j]));
    if (missing.length)
      gaps.push(`cell ${c.key}: ${[...new Set(missing.map((f) => earlyFeature(f).needs))].join(", ")}`);
    else if (!(c.cycleLife && c.cycleLife > 0)) gaps.push(`cell ${c.key}: no cycle life`);
  });
  if (gaps.length)
    throw new Error(
      `${role} cells lack data for this feature set within the first ${n} cycles — ${gaps.slice(0, 10).join("; ")}${gaps.length > 10 ? `; and ${gaps.length - 10} more` : ""}`,
    );
  return x;
}

export async function fitEarlyModel(
  train: EarlyCell[],
  featureSet: FeatureSet,
  model: EarlyModel,
  n: number,
): Promise<FittedEarlyModel> {
  const features = [...FEATURE_SETS[featureSet]];
  if (train.length < 5)
    throw new Error(`early-life training needs at least 5 cells with a cycle life, got ${train.length}`);
  const x = checkCells(train, features, n, "Training");
  const y = train.map((c) => Math.log10(c.cycleLife!));
  const trainCells = train.map((c) => c.key);
  if (model === "least_squares")
    return { featureSet, features, model, n, linear: fitLeastSquares(x, y), mlp: null, cv: null, trainCells };
  if (model === "mlp")
    return { featureSet, features, model, n, linear: null, mlp: await fitMlp(x, y), cv: null, trainCells };
  const cv = cvElasticNet(x, y, { l1Ratios: L1_RATIOS, loss: (p, t) => (10 ** p - 10 ** t) ** 2 });
  return {
    featureSet,
    features,
    model,
    n,
    linear: cv.model,
    mlp: null,
    cv: { l1Ratio: cv.l1Ratio, lambda: cv.lambda, cvRmse: Math.sqrt(cv.cvLoss) },
    trainCells,
  };
}

export interface CellPrediction {
  key: string;
  trueLife: number;
  predictedLife: number;
}

export function predictEarly(m: FittedEarlyModel, cells: EarlyCell[], role = "Test"): CellPrediction[] {
  const x = checkCells(cells, m.features, m.n, role);
  const logLife = m.linear ? predict(m.linear, x) : predictMlp(m.mlp!, x);
  return logLife.map((p, i) => ({ key: cells[i].key, trueLife: cells[i].cycleLife!, predictedLife: 10 ** p }));
}

export function scorePredictions(p: CellPrediction[]): { rmse: number; mape: number; cells: number } {
  const pred = p.map((r) => r.predictedLife);
  const truth = p.map((r) => r.trueLife);
  return { rmse: rmse(pred, truth), mape: mape(pred, truth), cells: p.length };
}
