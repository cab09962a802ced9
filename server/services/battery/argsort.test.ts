import { describe, it, expect } from "vitest";
import * as ss from "simple-statistics";
import { sortAndRank } from "./argsort.js";

describe("radix argsort", () => {
  it("sorts negative, positive, zero and tied values and gives the same Spearman rho as simple-statistics", () => {
    const v = Float64Array.from([3.5, -2, 0, 1e-300, -1e10, 3.5, 7, -0.5, 0, 42]);
    const { sorted, ranks } = sortAndRank(v);
    expect(Array.from(sorted)).toEqual(Array.from(v).sort((a, b) => a - b));
    expect(ranks[0]).toBe(ranks[5]); // ties share a rank
    const y = Float64Array.from([1, 5, 2, 2, 9, 3, 0, 4, 8, 1]);
    const rho = ss.sampleCorrelation(Array.from(ranks), Array.from(sortAndRank(y).ranks));
    expect(rho).toBeCloseTo(ss.sampleRankCorrelation(Array.from(v), Array.from(y)), 12);
  });

  it("sorts 100k random values", () => {
    const v = Float64Array.from({ length: 100_000 }, () => (Math.random() - 0.5) * 1e6);
    const { sorted } = sortAndRank(v);
    expect(Array.from(sorted)).toEqual(Array.from(v).sort((a, b) => a - b));
  });
});
