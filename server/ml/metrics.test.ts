import { describe, it, expect } from "vitest";
import { mse, rmse, mae, r2, rmspe, rmspeSoh, rmspeRul, targetMetrics } from "./metrics.js";

describe("metrics (docs/ml.md definitions)", () => {
  const y = [1, 2, 3, 4];
  const p = [1.5, 2, 2, 4];

  it("MSE, RMSE, MAE by hand", () => {
    expect(mse(p, y)).toBeCloseTo((0.25 + 0 + 1 + 0) / 4, 12);
    expect(rmse(p, y)).toBeCloseTo(Math.sqrt(1.25 / 4), 12);
    expect(mae(p, y)).toBeCloseTo(1.5 / 4, 12);
  });

  it("R²: 1 for perfect predictions, 0 for predicting the mean, negative when worse", () => {
    expect(r2(y, y)).toBe(1);
    expect(r2([2.5, 2.5, 2.5, 2.5], y)).toBeCloseTo(0, 12);
    expect(r2([4, 3, 2, 1], y)).toBeLessThan(0);
    expect(r2(p, y)).toBeCloseTo(1 - 1.25 / 5, 12);
    expect(r2([1, 1], [2, 2])).toBeNaN();
  });

  it("RMSPE on SoH for PCL (Wen): predicted PCL 0.1 vs true 0.2 → |0.9 − 0.8| / 0.8", () => {
    expect(rmspeSoh([0.1], [0.2])).toBeCloseTo(0.125, 12);
    expect(rmspeSoh([0.1, 0.2], [0.2, 0.2])).toBeCloseTo(Math.sqrt((0.125 ** 2 + 0) / 2), 12);
  });

  it("RMSPE for RUL leaves out samples with y < 1 and counts them", () => {
    const r = rmspeRul([110, 5, 3], [100, 0, 0.5]);
    expect(r.excluded).toBe(2);
    expect(r.value).toBeCloseTo(0.1, 12);
    expect(rmspe([110], [100])).toBeCloseTo(0.1, 12);
  });

  it("targetMetrics bundles them and rejects mismatched lengths", () => {
    const m = targetMetrics("pcl", [0.1, 0.2], [0.2, 0.2]);
    expect(m.n).toBe(2);
    expect(m.rmspe).toBeCloseTo(rmspeSoh([0.1, 0.2], [0.2, 0.2]), 12);
    expect(() => mse([1], [1, 2])).toThrow(/differ in length/);
  });
});
