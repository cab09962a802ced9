import { describe, it, expect } from "vitest";
import { lttb, lttbIndices } from "./downsample.js";

describe("LTTB downsampling", () => {
  it("keeps the ends and the peak of a long series and returns the requested count", () => {
    const x = Array.from({ length: 2000 }, (_, i) => i);
    const y = x.map((i) => (i === 1234 ? 50 : Math.sin(i / 100)));
    const idx = lttbIndices(x, y, 200);
    expect(idx.length).toBe(200);
    expect(idx[0]).toBe(0);
    expect(idx[idx.length - 1]).toBe(1999);
    expect(idx).toContain(1234);
    expect([...idx].sort((a, b) => a - b)).toEqual(idx);
  });

  it("returns short series unchanged and skips missing values", () => {
    const pts = [
      { x: 1, y: 1 },
      { x: 2, y: NaN },
      { x: 3, y: 3 },
    ];
    expect(lttb(pts, 100)).toEqual([
      { x: 1, y: 1 },
      { x: 3, y: 3 },
    ]);
  });
});
