/**
 * The seasonal graphs (seasonal naive, seasonal mean) against the forecast written out by hand
 * on a small window (season 4, L = 12, H = 6): one day back with the missing-value fallback, the
 * mean of the finite days, the median of the days (seasonalPoint's rule), the band's spread widened by √k beyond one season, the calibration
 * offsets added inside the graph.
 */
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";
import { seasonalPoint } from "../../services/energy/unusual-points.js";
import { FUTURE_INPUT, PAST_INPUT, QUANTILES_OUTPUT, writeSeasonalOnnx } from "./energy-onnx.js";

const S = 4,
  L = 12,
  H = 6,
  D = 2,
  C = 1;
const y = [1, 2, 3, 4, 5, 6, 7, 8, 9, NaN, 11, 12]; // one missing value at index 9
const past = new Float32Array(L * D);
y.forEach((v, i) => past.set([v, 0], i * D));
const future = new Float32Array(H * C);

async function run(days: number, offsets?: number[], statistic?: "mean" | "median", values = past) {
  const onnx = writeSeasonalOnnx({
    lookback: L,
    horizon: H,
    season: S,
    days,
    statistic,
    pastDim: D,
    futureDim: C,
    quantiles: [0.1, 0.5, 0.9],
    spread: [-1, 0, 2],
    calibration: offsets ? { offsets } : null,
  });
  const s = await ort.InferenceSession.create(onnx);
  const out = await s.run({
    [PAST_INPUT]: new ort.Tensor("float32", values, [1, L, D]),
    [FUTURE_INPUT]: new ort.Tensor("float32", future, [1, H, C]),
  });
  const q = out[QUANTILES_OUTPUT].data as Float32Array;
  return {
    q10: Array.from({ length: H }, (_, h) => q[h * 3]),
    q50: Array.from({ length: H }, (_, h) => q[h * 3 + 1]),
    q90: Array.from({ length: H }, (_, h) => q[h * 3 + 2]),
  };
}

describe("seasonal forecasters as ONNX graphs", () => {
  it("seasonal naive: one day back, two days back past a missing value, √k wider beyond one season", async () => {
    const f = await run(1);
    // h = 0…3 read y[8…11] (y[9] is missing: y[5] one day further back); h = 4, 5 read y[8], y[9] → y[5] (k = 2).
    expect(f.q50).toEqual([9, 6, 11, 12, 9, 6]);
    expect(f.q10[0]).toBeCloseTo(8, 5);
    expect(f.q90[4]).toBeCloseTo(9 + 2 * Math.SQRT2, 5);
  });

  it("seasonal mean: the mean of the finite values at the same time of day", async () => {
    const f = await run(3);
    // h = 0 reads y[8], y[4], y[0]; h = 1 reads y[9] (missing), y[5], y[1]: the mean of 6 and 2.
    expect(f.q50[0]).toBeCloseTo((9 + 5 + 1) / 3, 5);
    expect(f.q50[1]).toBeCloseTo((6 + 2) / 2, 5);
    // h = 4 (second season) reads y[8], y[4], y[0].
    expect(f.q50[4]).toBeCloseTo((9 + 5 + 1) / 3, 5);
  });

  it("seasonal median: the middle day, so one broken day does not move the forecast", async () => {
    // Day 2 (indices 4…7) jumps by +100: the mean follows it, the median does not.
    const broken = [1, 2, 3, 4, 105, 106, 107, 108, 9, NaN, 11, 12];
    const values = new Float32Array(L * D);
    broken.forEach((v, i) => values.set([v, 0], i * D));
    const mean = await run(3, undefined, "mean", values),
      med = await run(3, undefined, "median", values);
    // h = 0 reads y[8] = 9, y[4] = 105, y[0] = 1.
    expect(mean.q50[0]).toBeCloseTo((9 + 105 + 1) / 3, 4);
    expect(med.q50[0]).toBeCloseTo(9, 5);
    // h = 1 reads y[9] (missing: counted at the mean of 106 and 2, i.e. 54), y[5] = 106, y[1] = 2 → sorted 2, 54, 106.
    expect(med.q50[1]).toBeCloseTo(54, 4);
    expect(seasonalPoint([NaN, 106, 2], "median")).toBeCloseTo(54, 6);
    expect(med.q50[2]).toBeCloseTo(11, 5);
    // Two days (even count): the two middle values averaged (h = 0 reads y[8] = 9, y[4] = 105).
    const two = await run(2, undefined, "median", values);
    expect(two.q50[0]).toBeCloseTo(57, 4);
    expect(seasonalPoint([9, 105], "median")).toBeCloseTo(57, 6);
  });

  it("calibration offsets shift each quantile inside the graph", async () => {
    const a = await run(1),
      b = await run(1, [-0.5, 0, 0.25]);
    for (let h = 0; h < H; h++) {
      expect(b.q10[h]).toBeCloseTo(a.q10[h] - 0.5, 5);
      expect(b.q50[h]).toBeCloseTo(a.q50[h], 5);
      expect(b.q90[h]).toBeCloseTo(a.q90[h] + 0.25, 5);
    }
  });
});
