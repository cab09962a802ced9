import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../ml/random.js";
import { cvElasticNet, cvElasticNetAsync, fitElasticNet, fitLeastSquares, predict } from "./elastic-net.js";

/** y = 3 + 2·x0 − 1·x1 + noise; x2 and x3 are pure noise. */
function data(n: number, seed: number, noise = 0.1) {
  const rnd = mulberry32(seed);
  const x = Array.from({ length: n }, () => [rnd() * 10, rnd() * 5 - 2, rnd(), rnd() * 100]);
  const y = x.map((r) => 3 + 2 * r[0] - r[1] + noise * (rnd() - 0.5));
  return { x, y };
}

describe("elastic net", () => {
  it("least squares recovers the coefficients of a linear relation on raw inputs", () => {
    const { x, y } = data(60, 1, 0);
    const m = fitLeastSquares(x, y);
    expect(m.intercept).toBeCloseTo(3, 4);
    expect(m.coef[0]).toBeCloseTo(2, 4);
    expect(m.coef[1]).toBeCloseTo(-1, 4);
    expect(Math.abs(m.coef[2])).toBeLessThan(1e-4);
  });

  it("the lasso end zeroes the noise features and shrinks toward the mean as λ grows", () => {
    const { x, y } = data(60, 2);
    const lasso = fitElasticNet(x, y, { l1Ratio: 1, lambda: 0.05 });
    expect(lasso.coef[2]).toBe(0);
    expect(lasso.coef[3]).toBe(0);
    expect(lasso.coef[0]).toBeGreaterThan(1.9);
    const huge = fitElasticNet(x, y, { l1Ratio: 0.5, lambda: 1e6 });
    expect(huge.coef.every((c) => c === 0)).toBe(true);
    const meanY = y.reduce((a, b) => a + b, 0) / y.length;
    expect(predict(huge, [x[0]])[0]).toBeCloseTo(meanY, 10);
  });

  it("cross-validation picks a small penalty for clean data and a larger one for noisy data", () => {
    const clean = data(40, 3, 0.01);
    const noisy = data(40, 3, 40);
    const a = cvElasticNet(clean.x, clean.y, { l1Ratios: [0.5, 1], nLambda: 30 });
    const b = cvElasticNet(noisy.x, noisy.y, { l1Ratios: [0.5, 1], nLambda: 30 });
    expect(b.lambda).toBeGreaterThan(a.lambda * 100);
    expect(a.grid).toHaveLength(60);
    expect(a.model.coef[0]).toBeCloseTo(2, 1);
    expect(() => fitElasticNet([], [], { l1Ratio: 1, lambda: 1 })).toThrow(/non-empty/);
    expect(() => fitElasticNet(clean.x, clean.y, { l1Ratio: 0, lambda: 1 })).toThrow(/l1Ratio/);
  });

  it("the asynchronous search chooses the same as the blocking one and lets other work run meanwhile", async () => {
    const { x, y } = data(40, 4, 5);
    const o = { l1Ratios: [0.1, 0.5, 1], nLambda: 40 };
    const blocking = cvElasticNet(x, y, o);
    // Another task on the event loop, counting the turns it gets while the search runs.
    let turns = 0;
    let running = true;
    const other = () => {
      if (!running) return;
      turns++;
      setImmediate(other);
    };
    setImmediate(other);
    const result = await cvElasticNetAsync(x, y, o);
    running = false;
    expect(result).toEqual(blocking);
    // 40 leave-one-out folds × 3 mixings: a turn after every path, not one at the end.
    expect(turns).toBeGreaterThanOrEqual(100);
  });
});
