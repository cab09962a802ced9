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

/**
 * A standardised problem with its covariances, computed once per row set and shared by every
 * (α, λ) fitted on it: `gram` = (1/n) ZᵀZ (p × p, row-major) and `zy` = (1/n) Zᵀ(y − ȳ).
 */
interface Problem extends Standardised {
  p: number;
  gram: Float64Array;
  zy: Float64Array;
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

function prepare(x: number[][], y: number[]): Problem {
  const s = standardise(x, y);
  const n = s.yc.length;
  const p = s.z.length;
  const gram = new Float64Array(p * p);
  const zy = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const zj = s.z[j];
    let d = 0;
    for (let i = 0; i < n; i++) d += zj[i] * s.yc[i];
    zy[j] = d / n;
    for (let k = 0; k <= j; k++) {
      const zk = s.z[k];
      let g = 0;
      for (let i = 0; i < n; i++) g += zj[i] * zk[i];
      gram[j * p + k] = gram[k * p + j] = g / n;
    }
  }
  return { ...s, p, gram, zy };
}

function softThreshold(v: number, t: number): number {
  return v > t ? v - t : v < -t ? v + t : 0;
}

/**
 * Cyclic coordinate descent on standardised columns; `beta` is the warm start and is updated in
 * place. Covariance updates (Friedman et al. 2010, section 2.2): instead of the residual r it keeps
 * c = (1/n) Zᵀr, so a coordinate costs O(p) instead of O(n) and a changed coefficient O(p)
 * instead of O(n) — the same sequence of updates as the residual form, in exact arithmetic.
 */
function descend(s: Problem, l1Ratio: number, lambda: number, beta: Float64Array, maxIter: number, tol: number): void {
  const { p, gram } = s;
  const c = Float64Array.from(s.zy);
  for (let k = 0; k < p; k++) if (beta[k] !== 0) for (let j = 0; j < p; j++) c[j] -= gram[j * p + k] * beta[k];
  const l1 = lambda * l1Ratio;
  const denom = 1 + lambda * (1 - l1Ratio); // (1/n) Σ z² = 1 after standardisation
  for (let it = 0; it < maxIter; it++) {
    let maxDelta = 0;
    for (let j = 0; j < p; j++) {
      const next = softThreshold(c[j] + beta[j], l1) / denom;
      const d = next - beta[j];
      if (d !== 0) {
        const row = j * p; // the Gram matrix is symmetric: row j = column j
        for (let k = 0; k < p; k++) c[k] -= gram[row + k] * d;
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
  const s = prepare(x, y);
  const beta = new Float64Array(s.p);
  descend(s, o.l1Ratio, o.lambda, beta, o.maxIter ?? 10_000, o.tol ?? 1e-9);
  return toModel(s, beta);
}

/** Ordinary least squares (λ = 0 through the same solver, run to convergence). */
export function fitLeastSquares(x: number[][], y: number[]): LinearModel {
  return fitElasticNet(x, y, { l1Ratio: 1, lambda: 0, maxIter: 100_000, tol: 1e-12 });
}

/** The largest useful λ for this mixing (every coefficient zero at and above it), on standardised data. */
function lambdaMax(s: Problem, l1Ratio: number): number {
  let m = 0;
  for (const d of s.zy) m = Math.max(m, Math.abs(d));
  return m / Math.max(l1Ratio, 1e-3);
}

export interface PathFit {
  lambda: number;
  model: LinearModel;
}

/** Each path point's sweep limit and tolerance (warm-started from the previous point). */
const PATH_MAX_ITER = 2_000;
const PATH_TOL = 1e-6;

/** A warm-started path over `lambdas` (in the order given, normally decreasing). */
export function elasticNetPath(x: number[][], y: number[], l1Ratio: number, lambdas: number[]): PathFit[] {
  const s = prepare(x, y);
  const beta = new Float64Array(s.p);
  return lambdas.map((lambda) => {
    descend(s, l1Ratio, lambda, beta, PATH_MAX_ITER, PATH_TOL);
    return { lambda, model: toModel(s, beta) };
  });
}

/** nLambda log-spaced values from λmax down to λmax · minRatio. */
export function lambdaGrid(x: number[][], y: number[], l1Ratio: number, nLambda = 60, minRatio = 1e-4): number[] {
  const top = lambdaMax(prepare(x, y), l1Ratio) || 1;
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
 * rows for each α, as glmnet does), then refits on all rows with the chosen setting. Each fold's
 * standardisation and covariances are computed once and shared by every α. Yields after each
 * warm-started path (one fold, one α): see cvElasticNetAsync.
 */
function* cvSteps(x: number[][], y: number[], o: CvOptions): Generator<void, CvResult, void> {
  const n = x.length;
  const folds = o.folds ?? Array.from({ length: n }, (_, i) => [i]);
  const loss = o.loss ?? ((p: number, t: number) => (p - t) ** 2);
  const lambdas = o.l1Ratios.map((l1Ratio) => lambdaGrid(x, y, l1Ratio, o.nLambda ?? 60));
  const totals = lambdas.map((l) => new Float64Array(l.length));
  let count = 0;
  for (const held of folds) {
    const out = new Set(held);
    const keep = x.map((_, i) => i).filter((i) => !out.has(i));
    const s = prepare(
      keep.map((i) => x[i]),
      keep.map((i) => y[i]),
    );
    const heldX = held.map((i) => x[i]);
    for (let a = 0; a < o.l1Ratios.length; a++) {
      const beta = new Float64Array(s.p);
      lambdas[a].forEach((lambda, k) => {
        descend(s, o.l1Ratios[a], lambda, beta, PATH_MAX_ITER, PATH_TOL);
        const pred = predict(toModel(s, beta), heldX);
        held.forEach((i, h) => (totals[a][k] += loss(pred[h], y[i])));
      });
      yield;
    }
    count += held.length;
  }
  const grid: CvResult["grid"] = o.l1Ratios.flatMap((l1Ratio, a) =>
    lambdas[a].map((lambda, k) => ({ l1Ratio, lambda, cvLoss: totals[a][k] / count })),
  );
  const best = grid.reduce((a, b) => (b.cvLoss < a.cvLoss ? b : a));
  const model = fitElasticNet(x, y, { l1Ratio: best.l1Ratio, lambda: best.lambda });
  return { ...best, model, grid };
}

/** cvElasticNet in one go (blocks the thread for the whole search). */
export function cvElasticNet(x: number[][], y: number[], o: CvOptions): CvResult {
  const steps = cvSteps(x, y, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Resolves on the event loop's next turn, after pending timers and I/O callbacks have run. */
export const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The same search and result as cvElasticNet, handing the event loop back after every path
 * (a few milliseconds of work), so a job worker's heartbeats and other requests keep running.
 */
export async function cvElasticNetAsync(x: number[][], y: number[], o: CvOptions): Promise<CvResult> {
  const steps = cvSteps(x, y, o);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await yieldToEventLoop();
  }
}
