/**
 * Elastic net linear regression by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010,
 * the glmnet / scikit-learn objective), with the regularisation chosen by cross-validation.
 *
 *   minimise (1 / 2n) Σ (y − b₀ − Xβ)² + λ (α ‖β‖₁ + (1 − α) / 2 ‖β‖²)
 *
 * Inputs are standardised with the training rows' mean and population standard deviation, so
 * the penalty treats every feature alike; the fitted model maps raw inputs (the scaling is
 * folded into the coefficients). No npm package offers a maintained elastic net (checked
 * 2026-12-07), and the problem here is small (tens of cells, ≤ 20 features).
 */

export interface LinearModel {
  intercept: number;
  /** Coefficients on the raw (unscaled) inputs. */
  coef: number[];
}

export interface FitOptions {
  /** Mixing α ∈ (0, 1]: 1 = lasso, small = close to ridge. */
  l1Ratio: number;
  lambda: number;
  maxIter?: number;
  tol?: number;
}

interface Standardised {
  z: Float64Array[]; // columns
  mean: number[];
  std: number[];
  yMean: number;
  yc: Float64Array;
}

function standardise(x: number[][], y: number[]): Standardised {
  const n = x.length;
  const p = x[0]?.length ?? 0;
  const mean: number[] = [];
  const std: number[] = [];
  const z: Float64Array[] = [];
  for (let j = 0; j < p; j++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += x[i][j];
    m /= n;
    let v = 0;
    for (let i = 0; i < n; i++) v += (x[i][j] - m) ** 2;
    const s = Math.sqrt(v / n) || 1;
    mean.push(m);
    std.push(s);
    z.push(Float64Array.from({ length: n }, (_, i) => (x[i][j] - m) / s));
  }
  const yMean = y.reduce((a, b) => a + b, 0) / n;
  return { z, mean, std, yMean, yc: Float64Array.from(y, (v) => v - yMean) };
}

function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/** Coordinate descent on standardised columns; `beta` is the warm start and is updated in place. */
function descend(
  s: Standardised,
  l1Ratio: number,
  lambda: number,
  beta: Float64Array,
  maxIter: number,
  tol: number,
): void {
  const n = s.yc.length;
  const p = s.z.length;
  const r = Float64Array.from(s.yc);
  for (let j = 0; j < p; j++) if (beta[j] !== 0) for (let i = 0; i < n; i++) r[i] -= s.z[j][i] * beta[j];
  const l1 = lambda * l1Ratio;
  const denom = 1 + lambda * (1 - l1Ratio); // (1/n) Σ z² = 1 after standardisation
  for (let it = 0; it < maxIter; it++) {
    let maxDelta = 0;
    for (let j = 0; j < p; j++) {
      const zj = s.z[j];
      let rho = 0;
      for (let i = 0; i < n; i++) rho += zj[i] * r[i];
      rho = rho / n + beta[j];
      const next = softThreshold(rho, l1) / denom;
      const d = next - beta[j];
      if (d !== 0) {
        for (let i = 0; i < n; i++) r[i] -= zj[i] * d;
        beta[j] = next;
        maxDelta = Math.max(maxDelta, Math.abs(d));
      }
    }
    if (maxDelta < tol) return;
  }
}

function toModel(s: Standardised, beta: Float64Array): LinearModel {
  const coef = Array.from(beta, (b, j) => b / s.std[j]);
  const intercept = s.yMean - coef.reduce((acc, c, j) => acc + c * s.mean[j], 0);
  return { intercept, coef };
}

export function predict(m: LinearModel, x: number[][]): number[] {
  return x.map((row) => row.reduce((acc, v, j) => acc + v * m.coef[j], m.intercept));
}

export function fitElasticNet(x: number[][], y: number[], o: FitOptions): LinearModel {
  if (!x.length || x.length !== y.length)
    throw new Error(`elastic net needs matching non-empty rows (${x.length} inputs, ${y.length} targets)`);
  if (!(o.l1Ratio > 0 && o.l1Ratio <= 1)) throw new Error(`l1Ratio must be in (0, 1], got ${o.l1Ratio}`);
  const s = standardise(x, y);
  const beta = new Float64Array(s.z.length);
  descend(s, o.l1Ratio, o.lambda, beta, o.maxIter ?? 10_000, o.tol ?? 1e-9);
  return toModel(s, beta);
}

/** Ordinary least squares (λ = 0 through the same solver, run to convergence). */
export function fitLeastSquares(x: number[][], y: number[]): LinearModel {
  return fitElasticNet(x, y, { l1Ratio: 1, lambda: 0, maxIter: 100_000, tol: 1e-12 });
}

/** The largest useful λ for this mixing (every coefficient zero at and above it), on standardised data. */
function lambdaMax(s: Standardised, l1Ratio: number): number {
  const n = s.yc.length;
  let m = 0;
  for (const zj of s.z) {
    let d = 0;
    for (let i = 0; i < n; i++) d += zj[i] * s.yc[i];
    m = Math.max(m, Math.abs(d) / n);
  }
  return m / Math.max(l1Ratio, 1e-3);
}

export interface PathFit {
  lambda: number;
  model: LinearModel;
}

/** A warm-started path of nLambda values from λmax down to λmax · minRatio (log-spaced). */
export function elasticNetPath(x: number[][], y: number[], l1Ratio: number, lambdas: number[]): PathFit[] {
  const s = standardise(x, y);
  const beta = new Float64Array(s.z.length);
  return lambdas.map((lambda) => {
    descend(s, l1Ratio, lambda, beta, 2_000, 1e-6);
    return { lambda, model: toModel(s, beta) };
  });
}

export function lambdaGrid(x: number[][], y: number[], l1Ratio: number, nLambda = 60, minRatio = 1e-4): number[] {
  const top = lambdaMax(standardise(x, y), l1Ratio) || 1;
  return Array.from({ length: nLambda }, (_, k) => top * minRatio ** (k / (nLambda - 1)));
}

export interface CvOptions {
  l1Ratios: number[];
  nLambda?: number;
  /** Folds as arrays of row indices held out together; default leave-one-out. */
  folds?: number[][];
  /** Held-out error of a prediction (default squared error on the model's scale). */
  loss?: (pred: number, truth: number) => number;
}

export interface CvResult {
  l1Ratio: number;
  lambda: number;
  /** Mean held-out loss at the chosen setting. */
  cvLoss: number;
  model: LinearModel;
  /** Every setting tried with its mean held-out loss. */
  grid: { l1Ratio: number; lambda: number; cvLoss: number }[];
}

/**
 * Chooses (α, λ) by the mean held-out loss over the folds (the λ grid is computed once from all
 * rows for each α, as glmnet does), then refits on all rows with the chosen setting.
 */
export function cvElasticNet(x: number[][], y: number[], o: CvOptions): CvResult {
  const n = x.length;
  const folds = o.folds ?? Array.from({ length: n }, (_, i) => [i]);
  const loss = o.loss ?? ((p: number, t: number) => (p - t) ** 2);
  const grid: CvResult["grid"] = [];
  for (const l1Ratio of o.l1Ratios) {
    const lambdas = lambdaGrid(x, y, l1Ratio, o.nLambda ?? 60);
    const total = new Float64Array(lambdas.length);
    let count = 0;
    for (const held of folds) {
      const out = new Set(held);
      const keep = x.map((_, i) => i).filter((i) => !out.has(i));
      const path = elasticNetPath(
        keep.map((i) => x[i]),
        keep.map((i) => y[i]),
        l1Ratio,
        lambdas,
      );
      path.forEach((p, k) => {
        const pred = predict(
          p.model,
          held.map((i) => x[i]),
        );
        held.forEach((i, h) => (total[k] += loss(pred[h], y[i])));
      });
      count += held.length;
    }
    lambdas.forEach((lambda, k) => grid.push({ l1Ratio, lambda, cvLoss: total[k] / count }));
  }
  const best = grid.reduce((a, b) => (b.cvLoss < a.cvLoss ? b : a));
  const model = fitElasticNet(x, y, { l1Ratio: best.l1Ratio, lambda: best.lambda });
  return { ...best, model, grid };
}
