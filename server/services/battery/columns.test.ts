import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { TASK_DEFAULTS } from "../../schemas/training.js";
import { cancelTask, createTask } from "../training/tasks.js";
import { offersFeature, trailingMean } from "./columns.js";
import { loadCycles } from "./datasets.js";

let user: TestUser;
let datasetId: number;

beforeAll(async () => {
  db();
  user = await createTestUser("trailing");
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
});
afterAll(() => closeDb());

describe("10-cycle trailing mean (derived features)", () => {
  it("averages the finite values of the last rows only", () => {
    expect(Array.from(trailingMean([1, 2, 3, NaN, 5, NaN, NaN], 2))).toEqual([1, 1.5, 2.5, 3, 5, 5, NaN]);
  });

  it("is offered for raw features, matches Wen et al.'s smoothed temperature, and trains", async () => {
    const ds = await user.caller.battery.getDataset({ datasetId });
    const keys = ds.features.map((f) => f.key);
    expect(keys).toContain("ir_ohm_mean10");
    expect(keys).toContain("tavg_raw_c_mean10");
    expect(keys).not.toContain("kong_slope_mean10"); // already a trailing mean
    expect(keys).not.toContain("qdischarge_ah_mean10"); // the target in disguise
    expect(ds.features.find((f) => f.key === "ir_ohm_mean10")!.label).toBe(
      "Internal resistance, 10-cycle trailing mean",
    );
    expect(offersFeature(["ir_ohm"], "ir_ohm_mean10")).toBe(true);

    // Wen et al.'s tavg_c is the 10-cycle trailing mean of the raw Tavg: the derived feature reproduces it.
    const { cells } = await loadCycles({
      datasetId,
      userId: user.id,
      cellKeys: ["50"],
      features: ["tavg_c", "tavg_raw_c_mean10"],
    });
    const c = cells[0];
    let same = 0;
    let n = 0;
    for (let i = 9; i < c.cycle.length; i++) {
      n++;
      if (Math.abs(c.features.tavg_c[i] - c.features.tavg_raw_c_mean10[i]) < 1e-6) same++;
    }
    expect(same / n).toBeGreaterThan(0.99);

    const task = await createTask(
      user.id,
      {
        ...TASK_DEFAULTS,
        name: `trailing-${Date.now()}`,
        datasetId,
        split: "custom",
        trainCells: ["42", "44", "45"],
        testCells: ["46"],
        features: ["kong_slope", "ir_ohm_mean10"],
        algorithms: ["baseline"],
        epochs: 2,
        coveredCyclesOnly: true,
      },
      { jobNamePrefix: `trailing-${process.pid}-` },
    );
    expect(task.config.features).toEqual(["kong_slope", "ir_ohm_mean10"]);
    expect(Object.values(task.samples)[0].train).toBeGreaterThan(500);
    await cancelTask(user.id, task.id);
  });
});
