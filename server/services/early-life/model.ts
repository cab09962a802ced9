/**
 * Early-life cycle-life models: a linear model of log10 cycle life on a feature set computed from
 * each cell's first N cycles, as in Severson et al. 2019. The elastic net's (α, λ) is chosen by
 * leave-one-cell-out cross-validation on the training cells only (held-out squared error in
 * cycles); "least_squares" is the plain fit (the data and fitting check of the variance model);
 * "mlp" is a small network through the native addon (./mlp.ts). An ensemble feature set fits the
 * chosen model on each member set and averages the members' log10 predictions (for linear models
 * the average is itself a linear model on the union of the features, kept as `linear`).
 * Pure module apart from its inputs. The fits hand the event loop back every few milliseconds
 * (cvElasticNetAsync, yieldToEventLoop), so a worker running one keeps heartbeating.
 */
import { mape, rmse } from "../../ml/metrics.js";
import {
  cvElasticNetAsync,
  fitElasticNet,
  fitLeastSquares,
  predict,
  yieldToEventLoop,
  type LinearModel,
} from "./elastic-net.js";
import {
  earlyFeature,
  ensembleMembers,
  featureMatrix,
  FEATURE_SETS,
  type EarlyCell,
  type FeatureSet,
} from "./features.js";
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
  /** Chosen by cross-validation (elastic net only; an ensemble lists its members' choices, and
   * cvRmse is the held-out RMSE of the members' averaged leave-one-cell-out predictions). */
  cv: EarlyCv | null;
  /** An ensemble's fitted members (their predictions are averaged in log10 space). */
  members: FittedEarlyModel[] | null;
  trainCells: string[];
}

export interface EarlyCv {
  l1Ratio: number | null;
  lambda: number | null;
  cvRmse: number;
  members?: { featureSet: FeatureSet; l1Ratio: number; lambda: number; cvRmse: number }[];
}

/** Squared error in cycles of a log10 prediction (the CV loss of every early-life model). */
const cycleLoss = (p: number, t: number) => (10 ** p - 10 ** t) ** 2;

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
  const base = { featureSet, features, model, n, linear: null, mlp: null, cv: null, members: null, trainCells };
  const sets = ensembleMembers(featureSet);
  if (sets) {
    const members: FittedEarlyModel[] = [];
    for (const set of sets) {
      members.push(await fitEarlyModel(train, set, model, n));
      await yieldToEventLoop();
    }
    const linear = members.every((m) => m.linear) ? averageLinear(members, features) : null;
    const cv =
      model === "elastic_net"
        ? {
            l1Ratio: null,
            lambda: null,
            cvRmse: await ensembleCvRmse(train, members),
            members: members.map((m) => ({
              featureSet: m.featureSet,
              l1Ratio: m.cv!.l1Ratio!,
              lambda: m.cv!.lambda!,
              cvRmse: m.cv!.cvRmse,
            })),
          }
        : null;
    return { ...base, linear, cv, members };
  }
  if (model === "least_squares") return { ...base, linear: fitLeastSquares(x, y) };
  if (model === "mlp") return { ...base, mlp: await fitMlp(x, y) };
  const cv = await cvElasticNetAsync(x, y, { l1Ratios: L1_RATIOS, loss: cycleLoss });
  return { ...base, linear: cv.model, cv: { l1Ratio: cv.l1Ratio, lambda: cv.lambda, cvRmse: Math.sqrt(cv.cvLoss) } };
}

/** The mean of linear members as one linear model on `features` (a member's absent feature: 0). */
function averageLinear(members: FittedEarlyModel[], features: string[]): LinearModel {
  const coef = features.map(
    (f) =>
      members.reduce((a, m) => a + (m.features.includes(f) ? m.linear!.coef[m.features.indexOf(f)] : 0), 0) /
      members.length,
  );
  return { intercept: members.reduce((a, m) => a + m.linear!.intercept, 0) / members.length, coef };
}

/** Held-out RMSE (cycles) of an elastic-net ensemble: its out-of-fold predictions. */
async function ensembleCvRmse(train: EarlyCell[], members: FittedEarlyModel[]): Promise<number> {
  const oof = await outOfFoldLogLife(train, members);
  return Math.sqrt(train.reduce((a, c, i) => a + cycleLoss(oof[i], Math.log10(c.cycleLife!)), 0) / train.length);
}

/**
 * Leave-one-cell-out log10 cycle-life predictions of the training cells: each linear member
 * refitted without the held-out cell at its own cross-validated (α, λ) (λ 0 for least squares),
 * the members' predictions averaged. A cell's value never reads its own cycle life.
 */
export async function outOfFoldLogLife(train: EarlyCell[], members: FittedEarlyModel[]): Promise<number[]> {
  const y = train.map((c) => Math.log10(c.cycleLife!));
  const sum = new Array<number>(train.length).fill(0);
  for (const m of members) {
    if (!m.linear) throw new Error("out-of-fold predictions need linear models");
    const x = featureMatrix(train, m.features, m.n);
    const o = m.cv ? { l1Ratio: m.cv.l1Ratio!, lambda: m.cv.lambda! } : { l1Ratio: 1, lambda: 0 };
    for (let i = 0; i < train.length; i++) {
      const keep = train.map((_, k) => k).filter((k) => k !== i);
      const fit = fitElasticNet(
        keep.map((k) => x[k]),
        keep.map((k) => y[k]),
        o,
      );
      sum[i] += predict(fit, [x[i]])[0] / members.length;
      await yieldToEventLoop();
    }
  }
  return sum;
}

export interface CellPrediction {
  key: string;
  trueLife: number;
  predictedLife: number;
}

export function predictEarly(m: FittedEarlyModel, cells: EarlyCell[], role = "Test"): CellPrediction[] {
  const x = checkCells(cells, m.features, m.n, role);
  const logLife = logPredict(m, cells, x);
  return logLife.map((p, i) => ({ key: cells[i].key, trueLife: cells[i].cycleLife!, predictedLife: 10 ** p }));
}

function logPredict(m: FittedEarlyModel, cells: EarlyCell[], x: number[][]): number[] {
  if (m.linear) return predict(m.linear, x);
  if (m.members) {
    const parts = m.members.map((p) => logPredict(p, cells, featureMatrix(cells, p.features, p.n)));
    return cells.map((_, i) => parts.reduce((a, p) => a + p[i], 0) / parts.length);
  }
  return predictMlp(m.mlp!, x);
}

export function scorePredictions(p: CellPrediction[]): { rmse: number; mape: number; cells: number } {
  const pred = p.map((r) => r.predictedLife);
  const truth = p.map((r) => r.trueLife);
  return { rmse: rmse(pred, truth), mape: mape(pred, truth), cells: p.length };
}
