/** Samples, window, horizon, split and normalisation (ml-spec.md) on small synthetic cells. */
import { describe, it, expect } from "vitest";
import type { LoadedCell } from "../battery/datasets.js";
import { buildTaskData, type LoadedTaskCells, type SplitSpec } from "./data.js";

/** Cycles 1..n except `gaps`; f = 2·cycle, pcl = cycle / 1000, rul = n − cycle. */
function cell(key: string, n: number, gaps: number[] = [], offset = 0): LoadedCell {
  const cycles = Array.from({ length: n }, (_, i) => i + 1).filter((c) => !gaps.includes(c));
  const cycle = Float64Array.from(cycles);
  return {
    cellId: key.charCodeAt(0),
    cellKey: key,
    cycle,
    features: { f: cycle.map((c) => 2 * c + offset) },
    rul: cycle.map((c) => n - c),
    pcl: cycle.map((c) => c / 1000),
  };
}

function loaded(cells: LoadedCell[], spec: Partial<SplitSpec>): LoadedTaskCells {
  return {
    datasetId: 1,
    datasetName: "synthetic",
    datasetSource: "upload",
    cells,
    spec: { split: "custom", trainCells: [], valCells: [], testCells: [], fractions: null, seed: 7, ...spec },
  };
}

describe("training samples", () => {
  it("per-cycle samples read features of t plus the cycle number (last); horizon h targets t + h where it exists", () => {
    const d = buildTaskData(loaded([cell("a", 10), cell("b", 6)], { trainCells: ["a"], valCells: ["b"] }), { features: ["f"], target: "pcl", horizon: 2 }, 1);
    expect(d.inputNames).toEqual(["f", "cycle"]);
    // a: t = 1..8 (t + 2 ≤ 10); b: t = 1..4.
    expect(d.train.n).toBe(8);
    expect(d.val.n).toBe(4);
    expect(Array.from(d.train.x.slice(0, 4))).toEqual([2, 1, 4, 2]);
    expect(Array.from(d.train.y)).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((c) => c / 1000));
    expect(d.lineage.counts).toEqual({ train: 8, val: 4, test: 0 });
  });

  it("BiLSTM windows are W consecutive cycles ending at t; a gap or too few predecessors yields no sample", () => {
    const d = buildTaskData(loaded([cell("a", 12, [6]), cell("b", 5)], { trainCells: ["a"], valCells: ["b"] }), { features: ["f"], target: "both", horizon: 0 }, 3);
    // a: cycles 1..5, 7..12 → windows ending at 3, 4, 5, 9, 10, 11, 12.
    expect(Array.from(d.train.cycle)).toEqual([3, 4, 5, 9, 10, 11, 12]);
    // Window of the sample at t = 9: rows for cycles 7, 8, 9 (f, cycle).
    expect(Array.from(d.train.x.slice(3 * 6, 4 * 6))).toEqual([14, 7, 16, 8, 18, 9]);
    // Two targets: [pcl, rul].
    expect(Array.from(d.train.y.slice(0, 2))).toEqual([0.003, 9]);
    expect(d.outputs).toBe(2);
  });

  it("z-scores with training statistics only", () => {
    const d = buildTaskData(loaded([cell("a", 9), cell("b", 9, [], 1000)], { trainCells: ["a"], valCells: ["b"] }), { features: ["f"], target: "rul", horizon: 0 }, 1);
    expect(d.normalization.xMean).toEqual([10, 5]);
    expect(d.normalization.yMean).toEqual([4]);
    expect(d.normalization.xStd[1]).toBeCloseTo(Math.sqrt(60 / 9), 10);
  });

  it("a random split is seeded, has the asked fractions, and is the same anchors for every window", () => {
    const cells = [cell("a", 200), cell("b", 150), cell("t", 50)];
    const spec = { trainCells: ["a", "b"], testCells: ["t"], fractions: { train: 0.8, val: 0.2, test: 0 } };
    const one = buildTaskData(loaded(cells, spec), { features: ["f"], target: "pcl", horizon: 0 }, 1);
    const again = buildTaskData(loaded(cells, spec), { features: ["f"], target: "pcl", horizon: 0 }, 1);
    const win = buildTaskData(loaded(cells, spec), { features: ["f"], target: "pcl", horizon: 0 }, 5);
    expect(one.val.n).toBe(70);
    expect(one.train.n).toBe(280);
    expect(one.test.n).toBe(50);
    expect(Array.from(again.val.cycle)).toEqual(Array.from(one.val.cycle));
    const key = (s: typeof one.train, i: number) => `${s.cell[i]}:${s.cycle[i]}`;
    const trainAnchors = new Set(Array.from({ length: one.train.n }, (_, i) => key(one.train, i)));
    const valAnchors = new Set(Array.from({ length: one.val.n }, (_, i) => key(one.val, i)));
    for (let i = 0; i < win.train.n; i++) expect(trainAnchors.has(key(win.train, i))).toBe(true);
    for (let i = 0; i < win.val.n; i++) expect(valAnchors.has(key(win.val, i))).toBe(true);
    const other = buildTaskData(loaded(cells, { ...spec, seed: 8 }), { features: ["f"], target: "pcl", horizon: 0 }, 1);
    expect(Array.from(other.val.cycle)).not.toEqual(Array.from(one.val.cycle));
  });

  it("rows with a missing feature or target give no sample", () => {
    const a = cell("a", 10);
    a.features.f[3] = NaN; // cycle 4
    a.pcl[6] = NaN; // cycle 7
    const d = buildTaskData(loaded([a, cell("b", 4)], { trainCells: ["a"], valCells: ["b"] }), { features: ["f"], target: "pcl", horizon: 0 }, 1);
    expect(Array.from(d.train.cycle)).toEqual([1, 2, 3, 5, 6, 8, 9, 10]);
  });
});
