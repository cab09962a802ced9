/**
 * The early-life default's parts (issue #22): the "ensemble" feature set (a model on the summary
 * and one on the extended set, log10 cycle lives averaged) on the built-in cells, and the
 * summary-field features it adds, each computed from cycles ≤ N only. Its test-cell scores are in
 * bench/results/generalise-early-life.md; fit-heartbeat.test.ts runs the elastic-net default as a
 * task and checks its choices and scores.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { loadEarlyCells } from "./data.js";
import { earlyFeature, type EarlyCell } from "./features.js";
import { fitEarlyModel, predictEarly } from "./model.js";

let cells: Awaited<ReturnType<typeof loadEarlyCells>>["cells"];

beforeAll(async () => {
  db();
  const ds = await BatteryDataset.query().findOne({ source: "builtin" });
  cells = (await loadEarlyCells(0, ds!.id, 100)).cells;
});
afterAll(() => closeDb());

const split = (s: string) => cells.filter((c) => c.info.seversonSplit === s);

describe("early-life ensemble", () => {
  it("an ensemble's prediction is the geometric mean of its members' predictions", async () => {
    const train = split("primary_train");
    const test = split("secondary_test").slice(0, 6);
    const m = await fitEarlyModel(train, "ensemble", "least_squares", 100);
    const a = predictEarly(await fitEarlyModel(train, "summary", "least_squares", 100), test);
    const b = predictEarly(await fitEarlyModel(train, "extended", "least_squares", 100), test);
    predictEarly(m, test).forEach((p, i) =>
      expect(p.predictedLife).toBeCloseTo(Math.sqrt(a[i].predictedLife * b[i].predictedLife), 6),
    );
    // The averaged linear model is one linear model on the union of the features.
    expect(m.features).toHaveLength(18);
    expect(m.members).toHaveLength(2);
  });
});

describe("summary-field early-life features", () => {
  const cycle = Float64Array.from({ length: 150 }, (_, i) => i + 1);
  const cell: EarlyCell = {
    key: "x",
    cycleLife: 500,
    deltaQ: null,
    cycle,
    series: {
      qdischarge_ah: Float64Array.from(cycle, (t) => 1.07 - 0.0001 * t),
      tmax_c: Float64Array.from(cycle, (t) => (t <= 100 ? 30 + t / 10 : 99)),
      dqdv_var: Float64Array.from(cycle, (t) => (t === 100 ? 1000 : 10)),
      charge_time_min: Float64Array.from(cycle, (t) => (t <= 100 ? 10 : 500)),
    },
  };
  it("read cycles 2..N only", () => {
    expect(earlyFeature("tmax_max").value(cell, 100)).toBeCloseTo(40, 9);
    // mean of cycles 96..100 minus mean of cycles 2..6: −0.0001 × 94.
    expect(earlyFeature("qd_fade_2_n").value(cell, 100)).toBeCloseTo(-0.0094, 9);
    expect(earlyFeature("dqdv_var_log_n").value(cell, 100)).toBeCloseTo(3, 9);
    expect(earlyFeature("charge_time_mean").value(cell, 100)).toBeCloseTo(10, 9);
  });
});
