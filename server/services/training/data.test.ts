/** Samples, window, horizon, split and normalisation (docs/ml.md) on small synthetic cells. */
import { describe, it, expect } from "vitest";
import type { LoadedCell } from "../battery/datasets.js";
import { createTaskInput } from "../../schemas/training.js";
import { english } from "../../i18n/translate.js";
import { buildTaskData, cellSamples, type LoadedTaskCells, type SplitSpec, type TaskCell } from "./data.js";

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

function loaded(cells: TaskCell[], spec: Partial<SplitSpec>): LoadedTaskCells {
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
    const d = buildTaskData(
      loaded([cell("a", 10), cell("b", 6)], { trainCells: ["a"], valCells: ["b"] }),
      { features: ["f"], target: "pcl", horizon: 2 },
      1,
    );
    expect(d.inputNames).toEqual(["f", "cycle"]);
    // a: t = 1..8 (t + 2 ≤ 10); b: t = 1..4.
    expect(d.train.n).toBe(8);
    expect(d.val.n).toBe(4);
    expect(Array.from(d.train.x.slice(0, 4))).toEqual([2, 1, 4, 2]);
    expect(Array.from(d.train.y)).toEqual([3, 4, 5, 6, 7, 8, 9, 10].map((c) => c / 1000));
    expect(d.lineage.counts).toEqual({ train: 8, val: 4, test: 0 });
  });

  it("BiLSTM windows are W consecutive cycles ending at t; a gap or too few predecessors yields no sample", () => {
    const d = buildTaskData(
      loaded([cell("a", 12, [6]), cell("b", 5)], { trainCells: ["a"], valCells: ["b"] }),
      { features: ["f"], target: "both", horizon: 0 },
      3,
    );
    // a: cycles 1..5, 7..12 → windows ending at 3, 4, 5, 9, 10, 11, 12.
    expect(Array.from(d.train.cycle)).toEqual([3, 4, 5, 9, 10, 11, 12]);
    // Window of the sample at t = 9: rows for cycles 7, 8, 9 (f, cycle).
    expect(Array.from(d.train.x.slice(3 * 6, 4 * 6))).toEqual([14, 7, 16, 8, 18, 9]);
    // Two targets: [pcl, rul].
    expect(Array.from(d.train.y.slice(0, 2))).toEqual([0.003, 9]);
    expect(d.outputs).toBe(2);
  });

  it("z-scores with training statistics only", () => {
    const d = buildTaskData(
      loaded([cell("a", 9), cell("b", 9, [], 1000)], { trainCells: ["a"], valCells: ["b"] }),
      { features: ["f"], target: "rul", horizon: 0 },
      1,
    );
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
    const d = buildTaskData(
      loaded([a, cell("b", 4)], { trainCells: ["a"], valCells: ["b"] }),
      { features: ["f"], target: "pcl", horizon: 0 },
      1,
    );
    expect(Array.from(d.train.cycle)).toEqual([1, 2, 3, 5, 6, 8, 9, 10]);
  });

  describe("history-aware inputs", () => {
    const hist = {
      historyWindow: 4,
      historyPcl: true,
      historyTrends: true,
      earlyLife: [] as ("dq_logvar" | "dq_logmin")[],
    };

    it("adds observed PCL at t and trends over the last W cycles after the features; anchors start once t − W was observed", () => {
      const d = buildTaskData(
        loaded([cell("a", 12), cell("b", 8)], { trainCells: ["a"], valCells: ["b"] }),
        { features: ["f"], target: "rul", horizon: 0, ...hist },
        1,
      );
      expect(d.inputNames).toEqual(["f", "pcl_observed", "pcl_trend_4", "f_trend_4", "cycle"]);
      expect(Array.from(d.train.cycle)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
      // t = 5: f 10, PCL 0.005, PCL trend 4/1000 (slope 1/1000 × W), f trend 8 (slope 2 × W), cycle 5.
      const row = Array.from(d.train.x.slice(0, 5));
      expect(row.map((x) => Number(x.toPrecision(6)))).toEqual([10, 0.005, 0.004, 8, 5]);
      expect(d.lineage.history).toEqual({ window: 4, pcl: true, trends: true, early: [] });
    });

    it("cannot see the future: changing a cell after cycle t changes no input at or before t, only later targets", () => {
      const a = cell("a", 40);
      const changed = cell("a", 40);
      for (let i = 0; i < 40; i++) {
        if (changed.cycle[i] > 20) {
          changed.pcl[i] = 0.5 + i;
          changed.features.f[i] = -100 * i;
          changed.rul[i] = 7;
        }
      }
      const cfg = { features: ["f"], target: "pcl" as const, horizon: 10, ...hist };
      const one = buildTaskData(loaded([a, cell("b", 30)], { trainCells: ["a"], valCells: ["b"] }), cfg, 1);
      const two = buildTaskData(loaded([changed, cell("b", 30)], { trainCells: ["a"], valCells: ["b"] }), cfg, 1);
      const d = one.inputDim;
      const upTo20 = one.train.cycle.filter((t) => t <= 20).length;
      expect(upTo20).toBeGreaterThan(5);
      expect(Array.from(two.train.x.slice(0, upTo20 * d))).toEqual(Array.from(one.train.x.slice(0, upTo20 * d)));
      // Their targets (PCL at t + 10 > 20) did change: the model is asked about the future, never shown it.
      expect(Array.from(two.train.y.slice(0, upTo20))).not.toEqual(Array.from(one.train.y.slice(0, upTo20)));
      // A BiLSTM window over the same columns ends at t too.
      const w1 = cellSamples([a], ["f"], ["pcl"], 3, 10, { window: 4, pcl: true, trends: true, early: [] });
      const w2 = cellSamples([changed], ["f"], ["pcl"], 3, 10, { window: 4, pcl: true, trends: true, early: [] });
      const k = w1.cycle.filter((t) => t <= 20).length;
      expect(Array.from(w2.x.slice(0, k * 3 * d))).toEqual(Array.from(w1.x.slice(0, k * 3 * d)));
    });

    it("a leaking configuration — observed PCL for horizon-0 PCL — is refused by the schema and by the data pipeline", () => {
      const input = {
        name: "leak",
        datasetId: 1,
        split: "case_a",
        target: "pcl",
        horizon: 0,
        features: ["f"],
        algorithms: ["baseline"],
        historyWindow: 4,
        historyPcl: true,
      } as const;
      const r = createTaskInput.safeParse(input);
      expect(r.success).toBe(false);
      expect(r.error!.issues.map((i) => i.path.join("."))).toEqual(["historyPcl"]);
      // The schema's message is a catalog key; its English text names the rule.
      expect(english(r.error!.issues[0].message)).toMatch(/never reads capacity/);
      expect(createTaskInput.safeParse({ ...input, target: "both" }).success).toBe(false);
      expect(createTaskInput.safeParse({ ...input, horizon: 50 }).success).toBe(true);
      expect(createTaskInput.safeParse({ ...input, target: "rul" }).success).toBe(true);
      // Past the schema (a stored or hand-built config), the pipeline refuses it too, naming the field.
      expect(() =>
        buildTaskData(
          loaded([cell("a", 12), cell("b", 8)], { trainCells: ["a"], valCells: ["b"] }),
          { features: ["f"], target: "pcl", horizon: 0, ...hist },
          1,
        ),
      ).toThrow(expect.objectContaining({ message: expect.stringMatching(/never reads capacity/) }));
    });

    it("early-life inputs are per-cell values known from cycle 100: no sample before it", () => {
      const a: TaskCell = { ...cell("a", 150), early: { dq_logvar: -4.5, dq_logmin: -1.8 } };
      const b: TaskCell = { ...cell("b", 120), early: { dq_logvar: -3, dq_logmin: -1.2 } };
      const d = buildTaskData(
        loaded([a, b], { trainCells: ["a"], valCells: ["b"] }),
        { features: ["f"], target: "pcl", horizon: 0, historyWindow: 0, earlyLife: ["dq_logvar", "dq_logmin"] },
        1,
      );
      expect(d.inputNames).toEqual(["f", "dq_logvar", "dq_logmin", "cycle"]);
      expect(d.train.cycle[0]).toBe(100);
      expect(d.train.n).toBe(51);
      expect(Array.from(d.val.x.slice(0, 4))).toEqual([200, -3, Math.fround(-1.2), 100]);
    });
  });
});
