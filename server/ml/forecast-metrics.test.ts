import { describe, it, expect } from "vitest";
import {
  forecastMetrics,
  intervalCoverage,
  mae,
  mase,
  meanIntervalWidth,
  pinball,
  rmse,
  seasonalScale,
  smape,
} from "./forecast-metrics.js";

describe("forecast metrics on hand-checkable inputs", () => {
  const y = [1, 2, 3, 4];
  const yhat = [2, 2, 1, 4]; // errors 1, 0, −2, 0

  it("MAE, RMSE", () => {
    expect(mae(y, yhat)).toBe(0.75); // (1+0+2+0)/4
    expect(rmse(y, yhat)).toBeCloseTo(Math.sqrt(5 / 4), 12); // (1+0+4+0)/4
  });

  it("sMAPE is a fraction; points with |ŷ|+|y| = 0 are left out", () => {
    // 2·1/3, 0, 2·2/4, 0 → (0.6667 + 1) / 4
    expect(smape(y, yhat)).toBeCloseTo((2 / 3 + 1) / 4, 12);
    expect(smape([0, 2], [0, 1])).toBeCloseTo(2 / 3, 12); // first point has denominator 0
  });

  it("MASE against the in-sample seasonal difference", () => {
    // season 2: |3−1|, |4−2|, |3−3|, |6−4| = 2, 2, 0, 2 → scale 1.5
    expect(seasonalScale([1, 2, 3, 4, 3, 6], 2)).toBe(1.5);
    expect(mase(y, yhat, 1.5)).toBe(0.5);
    // Seasonal naive scored on its own training data has MASE exactly 1 by construction.
    const train = [5, 1, 7, 2, 6, 4, 9, 3];
    const s = 2;
    const actual = train.slice(s),
      naive = train.slice(0, -s);
    expect(mase(actual, naive, seasonalScale(train, s))).toBe(1);
  });

  it("coverage, width and pinball loss", () => {
    const lo = [0, 2.5, 2, 3],
      hi = [2, 3, 4, 3.5];
    expect(intervalCoverage(y, lo, hi)).toBe(0.5); // 1 in, 2 out (<2.5), 3 in, 4 out (>3.5)
    expect(meanIntervalWidth(y, lo, hi)).toBe((2 + 0.5 + 2 + 0.5) / 4);
    // τ = 0.9: y−q = −1, 0, 2, 0 → 0.1, 0, 1.8, 0
    expect(pinball(y, yhat, 0.9)).toBeCloseTo(1.9 / 4, 12);
    // τ = 0.5 pinball is half the MAE.
    expect(pinball(y, yhat, 0.5)).toBe(mae(y, yhat) / 2);
  });

  it("skips missing actuals and masked points", () => {
    expect(mae([1, NaN, 3], [2, 100, 3])).toBe(0.5);
    expect(mae([1, 2, 3], [2, 100, 3], [1, 0, 1])).toBe(0.5);
    const m = forecastMetrics([1, NaN, 3], { q10: [0, 0, 0], q50: [2, 0, 3], q90: [5, 5, 5] }, 1);
    expect(m).toMatchObject({ n: 2, mae: 0.5, coverage: 1, intervalWidth: 5, mase: 0.5 });
  });
});
