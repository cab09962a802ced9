/**
 * The one definition of each metric (docs/ml.md, "Metrics"), used by training, testing,
 * exports, tests and benchmarks alike. Inputs are raw-unit predictions and truths.
 */
import { mean } from "simple-statistics";

type Num = ArrayLike<number>;

function check(pred: Num, truth: Num): void {
  if (pred.length !== truth.length) {
    throw new Error(`metrics: predictions (${pred.length}) and truths (${truth.length}) differ in length`);
  }
}

/** mean((ŷ − y)²); NaN for no samples. */
export function mse(pred: Num, truth: Num): number {
  check(pred, truth);
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += (pred[i] - truth[i]) ** 2;
  return s / pred.length;
}

export function rmse(pred: Num, truth: Num): number {
  return Math.sqrt(mse(pred, truth));
}

/** mean(|ŷ − y|). */
export function mae(pred: Num, truth: Num): number {
  check(pred, truth);
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - truth[i]);
  return s / pred.length;
}

/** 1 − Σ(ŷ − y)² / Σ(y − ȳ)². NaN when the truths are constant or empty. */
export function r2(pred: Num, truth: Num): number {
  check(pred, truth);
  if (truth.length === 0) return NaN;
  const m = mean(Array.from(truth));
  let ssRes = 0;
  let ssTot = 0;
  for (let i = 0; i < truth.length; i++) {
    ssRes += (pred[i] - truth[i]) ** 2;
    ssTot += (truth[i] - m) ** 2;
  }
  return ssTot === 0 ? NaN : 1 - ssRes / ssTot;
}

/** sqrt(mean(((ŷ − y) / y)²)) over all samples, as a fraction. */
export function rmspe(pred: Num, truth: Num): number {
  check(pred, truth);
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += ((pred[i] - truth[i]) / truth[i]) ** 2;
  return Math.sqrt(s / pred.length);
}

/** PCL is scored on SoH = 1 − PCL (Wen's definition): RMSPE of predicted vs true SoH. */
export function rmspeSoh(predPcl: Num, truePcl: Num): number {
  check(predPcl, truePcl);
  const p = Float64Array.from(predPcl, (v) => 1 - v);
  const t = Float64Array.from(truePcl, (v) => 1 - v);
  return rmspe(p, t);
}

/** RUL RMSPE over samples with y ≥ 1; `excluded` counts the samples left out. */
export function rmspeRul(pred: Num, truth: Num): { value: number; excluded: number } {
  check(pred, truth);
  const p: number[] = [];
  const t: number[] = [];
  for (let i = 0; i < truth.length; i++) {
    if (truth[i] >= 1) {
      p.push(pred[i]);
      t.push(truth[i]);
    }
  }
  return { value: rmspe(p, t), excluded: truth.length - t.length };
}

export type BatteryTarget = "rul" | "pcl";

export interface TargetMetrics {
  n: number;
  mse: number;
  rmse: number;
  mae: number;
  r2: number;
  /** PCL: on SoH; RUL: over y ≥ 1. A fraction. */
  rmspe: number;
  /** RUL only: samples with y < 1 left out of RMSPE. */
  rmspeExcluded: number;
}

/** Every metric of one target, as the platform reports it. */
export function targetMetrics(target: BatteryTarget, pred: Num, truth: Num): TargetMetrics {
  const base = {
    n: truth.length,
    mse: mse(pred, truth),
    rmse: rmse(pred, truth),
    mae: mae(pred, truth),
    r2: r2(pred, truth),
  };
  if (target === "pcl") return { ...base, rmspe: rmspeSoh(pred, truth), rmspeExcluded: 0 };
  const r = rmspeRul(pred, truth);
  return { ...base, rmspe: r.value, rmspeExcluded: r.excluded };
}

/** mean(|ŷ − y| / |y|) over all samples, as a fraction (early-life cycle-life error). */
export function mape(pred: Num, truth: Num): number {
  check(pred, truth);
  if (pred.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < pred.length; i++) s += Math.abs(pred[i] - truth[i]) / Math.abs(truth[i]);
  return s / pred.length;
}
