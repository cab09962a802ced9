import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { closeDb, db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { TASK_DEFAULTS, type TaskInput } from "../../schemas/training.js";
import { cancelTask, createTask } from "../training/tasks.js";
import { coverageGaps, coverageOf, datasetCoverage, formatRanges } from "./coverage.js";

let user: TestUser;
let datasetId: number;
const prefix = `coverage-${process.pid}-`; // no worker serves these job names

beforeAll(async () => {
  db();
  user = await createTestUser("coverage");
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
});
afterAll(() => closeDb());

describe("feature coverage", () => {
  it("runs of covered cycles skip gaps and unconsidered cycles", () => {
    const cov = coverageOf([2, 3, 4, 5, 6, 7], [1, NaN, 1, 1, NaN, 1]);
    expect(cov).toEqual({
      covered: 4,
      cycles: 6,
      ranges: [
        [2, 2],
        [4, 5],
        [7, 7],
      ],
    });
    expect(formatRanges(cov.ranges)).toBe("2, 4–5, 7");
    expect(coverageOf([2, 3, 4], [NaN, 1, 1], (i) => i > 0)).toEqual({ covered: 2, cycles: 2, ranges: [[3, 4]] });
  });

  it("the built-in dataset reports each feature's cells and cycles, and lists the flagged raw values", async () => {
    const cov = await datasetCoverage(user.id, datasetId);
    const f = (k: string) => cov.features.find((x) => x.key === k)!;
    // The smoothed features cover every cycle of every cell.
    expect(f("kong_slope").cellsComplete).toBe(124);
    // dQ/dV statistics: cycles 2–100 of every cell.
    expect(f("dqdv_var")).toMatchObject({ cellsWithValues: 124, covered: 12_276 });
    expect(f("dqdv_var").partial.find((p) => p.cellKey === "1")!.ranges).toBe("2–100");
    // Summary v2: cell 84 and the secondary-test cells stop at cycle 100; cell 50 is whole.
    const ir = f("ir_ohm");
    expect(ir.cellsWithValues).toBe(124);
    expect(ir.partial.find((p) => p.cellKey === "124")!.ranges).toMatch(/–100$/);
    expect(ir.partial.find((p) => p.cellKey === "50")).toBeUndefined();
    // Tmin: batch 1 early only.
    expect(f("tmin_c").partial.find((p) => p.cellKey === "2")!.ranges).toMatch(/^2–\d{2,3}/);
    expect(cov.deltaQ).toEqual({ cells: 124, missing: [] });
    // Every raw fault, with its rule; an IR of 0 is a gap in the coverage of its cell.
    expect(cov.flagged).toHaveLength(71);
    const zero = cov.flagged.find((x) => x.column === "ir_ohm")!;
    expect(zero).toMatchObject({ value: 0, rule: "internal resistance exactly 0" });
    expect(cov.flagged.filter((x) => x.column === "charge_time_min").every((x) => x.value > 60)).toBe(true);
    const zeroCell = ir.partial.find((p) => p.cellKey === zero.cellKey)!;
    expect(zeroCell.covered).toBeLessThan(zeroCell.cycles);
    // Through the API, and another user's upload is NOT_FOUND like a missing one.
    const viaApi = await user.caller.battery.coverage({ datasetId });
    expect(viaApi.flagged).toHaveLength(71);
    await expect(user.caller.battery.coverage({ datasetId: 999_999_999 })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("names the uncovered feature, cells and coverage", () => {
    const cell = (cellKey: string, ir: number[]) => ({
      cellKey,
      cycle: Float64Array.from([2, 3, 4, 5]),
      rul: Float64Array.from([3, 2, 1, 0]),
      pcl: Float64Array.from([0, 0, 0, 0]),
      features: { ir_ohm: Float64Array.from(ir), kong_slope: Float64Array.from([1, 1, 1, 1]) },
    });
    expect(coverageGaps([cell("a", [1, 1, 1, 1])], ["ir_ohm", "kong_slope"], ["rul"])).toBeNull();
    const msg = coverageGaps([cell("a", [1, 1, 1, 1]), cell("b", [1, 1, NaN, NaN])], ["ir_ohm", "kong_slope"], ["rul"]);
    expect(msg).toMatch(/ir_ohm: cell b has it on 2 of 4 cycles \(2–3\)/);
    expect(msg).not.toMatch(/kong_slope:/);
  });

  it("a training task whose features do not cover its cells is refused unless it trains on the covered cycles only", async () => {
    const input: TaskInput = {
      ...TASK_DEFAULTS,
      name: `coverage-${Date.now()}`,
      datasetId,
      features: ["kong_slope", "ir_ohm"],
      algorithms: ["baseline"],
      epochs: 2,
    };
    const refused = await createTask(user.id, input, { jobNamePrefix: prefix }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(TRPCError);
    const message = (refused as TRPCError).message;
    expect(message).toMatch(/ir_ohm: cell \d+ has it on \d+ of \d+ cycles/);
    // Least covered first: a cell that has IR for its first ~100 cycles only.
    expect(message).toMatch(/ir_ohm: cell \d+ has it on \d{2,3} of \d{4} cycles \(\d+–100\)/);
    expect(message).not.toMatch(/kong_slope:/);
    expect(await db()("trainingTasks").where({ userId: user.id, name: input.name }).first()).toBeUndefined();

    // The default features cover everything; opting in accepts the partial feature.
    const defaults = await createTask(
      user.id,
      { ...input, name: `${input.name}-d`, features: TASK_DEFAULTS.features },
      { jobNamePrefix: prefix },
    );
    const opted = await createTask(
      user.id,
      { ...input, name: `${input.name}-o`, coveredCyclesOnly: true },
      { jobNamePrefix: prefix },
    );
    expect(opted.config).toMatchObject({ coveredCyclesOnly: true });
    for (const t of [defaults, opted]) await cancelTask(user.id, t.id);
  });
});
