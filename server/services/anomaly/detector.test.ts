import { describe, it, expect } from "vitest";
import {
  fitQuantileDetector,
  flagScores,
  groupEvents,
  isAnomalous,
  quantile,
  residualScore,
  residualScores,
} from "./detector.js";

describe("quantile detector", () => {
  it("scores |y − q50|, or divided by the 10–90 % width", () => {
    expect(residualScore(12, 8, 10, 14, "raw")).toBe(2);
    expect(residualScore(7, 8, 10, 14, "raw")).toBe(3);
    expect(residualScore(12, 8, 10, 14, "width")).toBeCloseTo(2 / 6);
    expect(residualScore(NaN, 8, 10, 14, "raw")).toBeNaN();
    expect(Array.from(residualScores([1, 5], { q10: [0, 0], q50: [1, 1], q90: [2, 2] }, "width"))).toEqual([0, 2]);
  });

  it("fits thresholds at the quantiles of the clean scores (linear interpolation)", () => {
    // 0, 1, …, 100: the p-quantile is 100·p.
    const scores = Array.from({ length: 101 }, (_, i) => 100 - i);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    const both = fitQuantileDetector([...scores, NaN], { lowQuantile: 0.05, highQuantile: 0.99 });
    expect(both.low).toBeCloseTo(5);
    expect(both.high).toBeCloseTo(99);
    expect(both.summary.n).toBe(101);
    expect(both.summary.p50).toBe(50);
    expect(both.summary.max).toBe(100);
    expect(both.summary.mean).toBe(50);
  });

  it("is one-sided when a quantile is unset; outside means strictly outside", () => {
    const scores = Array.from({ length: 101 }, (_, i) => i);
    const high = fitQuantileDetector(scores, { lowQuantile: null, highQuantile: 0.9 });
    expect(high.low).toBeNull();
    expect(high.high).toBeCloseTo(90);
    expect(isAnomalous(90, high)).toBe(false);
    expect(isAnomalous(90.5, high)).toBe(true);
    expect(isAnomalous(0, high)).toBe(false);
    const low = fitQuantileDetector(scores, { lowQuantile: 0.1, highQuantile: null });
    expect(low.high).toBeNull();
    expect(Array.from(flagScores([5, 10, 50, 1000, NaN], low))).toEqual([1, 0, 0, 0, 0]);
    expect(() => fitQuantileDetector([NaN], { lowQuantile: null, highQuantile: 0.9 })).toThrow(/no clean/);
  });

  it("groups flags into events, merging flags at most mergeGap points apart", () => {
    const ts = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * 1000);
    const flags = [0, 1, 1, 0, 1, 0, 0, 0, 1, 0];
    const scores = [0, 5, 7, 0, 6, 0, 0, 0, 9, 0];
    // Adjacent only: [1,2], [4], [8].
    expect(groupEvents(ts, flags, scores, 1)).toEqual([
      { start: 1000, end: 2000, peakTs: 2000, peakScore: 7, points: 2 },
      { start: 4000, end: 4000, peakTs: 4000, peakScore: 6, points: 1 },
      { start: 8000, end: 8000, peakTs: 8000, peakScore: 9, points: 1 },
    ]);
    // Gap 2 joins 2 and 4; 8 is 4 points after 4.
    expect(groupEvents(ts, flags, scores, 2).map((e) => [e.start, e.end, e.points, e.peakScore])).toEqual([
      [1000, 4000, 3, 7],
      [8000, 8000, 1, 9],
    ]);
    expect(groupEvents(ts, flags, scores, 4)).toHaveLength(1);
    expect(groupEvents(ts, new Array(10).fill(0), scores, 3)).toEqual([]);
  });
});
