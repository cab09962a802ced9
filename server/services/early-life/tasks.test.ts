/**
 * Early-life tasks through the real path: createEarlyLifeTask → queue → an in-process worker
 * serving this file's job-name prefix → battery.early-life handler → stored result → exports.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import { closeDb, db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import "../../../jobs/handlers/index.js";
import { testPrefix, waitFor, startWorkerFor } from "../../../jobs/testing.js";
import type { Worker } from "../../../jobs/worker-runtime.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createEarlyLifeTask, EARLY_LIFE_JOB, getEarlyLifeTask } from "./tasks.js";

const prefix = testPrefix("early");
let user: TestUser;
let worker: Worker;
let datasetId: number;

beforeAll(async () => {
  db();
  user = await createTestUser("early");
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  worker = startWorkerFor([EARLY_LIFE_JOB], prefix, { heartbeatMs: 500, maintenanceMs: 1000 });
});
afterAll(async () => {
  await worker?.stop(1000);
  await closeDb();
});

const finished = (id: number) =>
  waitFor(
    `early-life task ${id}`,
    async () => {
      const t = await getEarlyLifeTask(user.id, id);
      return t.status === "SUCCEEDED" || t.status === "FAILED" ? t : null;
    },
    60_000,
  );

describe("early-life tasks", () => {
  it("the variance model on the Severson split reproduces the published check and exports per-cell predictions", async () => {
    const created = await createEarlyLifeTask(
      user.id,
      { name: `early-${Date.now()}`, datasetId, featureSet: "variance", model: "least_squares" },
      { jobNamePrefix: prefix },
    );
    expect(created.status).toBe("PENDING");
    expect(created.config.trainCells).toHaveLength(41);
    const t = await finished(created.id);
    expect(t.error).toBeNull();
    const r = t.result!;
    const g = Object.fromEntries(r.groups.map((x) => [x.name, x]));
    // Plain least squares of log10 cycle life on log10 var ΔQ₁₀₀₋₁₀: 137.9 / 195.9 cycles.
    expect(g.primary_test.rmse).toBeCloseTo(137.9, 0);
    expect(g.secondary_test.rmse).toBeCloseTo(195.9, 0);
    expect(g.primary_test.cells).toHaveLength(43);
    expect(g.secondary_test.mape).toBeGreaterThan(0.05);
    expect(g.secondary_test.mape).toBeLessThan(0.2);
    expect(r.features.map((f) => f.key)).toEqual(["dq_log_var"]);
    expect(r.features[0].coef).toBeLessThan(0); // more ΔQ variance, shorter life

    const csv = await user.caller.earlyLife.export({ id: t.id, format: "csv" });
    const lines = Buffer.from(csv.contentBase64, "base64").toString().trim().split("\n");
    expect(lines[0]).toBe("group,cell,true_cycle_life,predicted_cycle_life,error,abs_pct_error");
    expect(lines).toHaveLength(1 + 83);
    const row = lines.find((l) => l.startsWith("primary_test,1,"))!.split(",");
    expect(Number(row[2])).toBe(1852);
    const xlsx = await user.caller.earlyLife.export({ id: t.id, format: "xlsx" });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(xlsx.contentBase64, "base64") as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["summary", "model", "cells"]);
    expect(wb.getWorksheet("cells")!.rowCount).toBe(84);

    // A Chinese page gets the XLSX in Chinese (sheets and headers); CSV keeps its machine headers.
    const zh = await user.caller.earlyLife.export({ id: t.id, format: "xlsx", locale: "zh-CN" });
    const zwb = new ExcelJS.Workbook();
    await zwb.xlsx.load(Buffer.from(zh.contentBase64, "base64") as never);
    expect(zwb.worksheets.map((w) => w.name)).toEqual(["汇总", "模型", "电池"]);
    expect(zwb.getWorksheet("电池")!.getRow(1).values).toEqual([
      undefined,
      "组",
      "电池",
      "真实循环寿命",
      "预测循环寿命",
      "误差",
      "绝对百分比误差（%）",
    ]);
    expect(zwb.getWorksheet("汇总")!.getCell("A1").value).toBe("任务");
    const zhCsv = await user.caller.earlyLife.export({ id: t.id, format: "csv", locale: "zh-CN" });
    expect(Buffer.from(zhCsv.contentBase64, "base64").toString().split("\n")[0]).toBe(lines[0]);
  });

  it("an MLP through the native addon learns cycle life from the variance feature", async () => {
    const created = await createEarlyLifeTask(
      user.id,
      { name: `early-mlp-${Date.now()}`, datasetId, featureSet: "variance", model: "mlp" },
      { jobNamePrefix: prefix },
    );
    const t = await finished(created.id);
    expect(t.error).toBeNull();
    const g = Object.fromEntries(t.result!.groups.map((x) => [x.name, x]));
    // The dummy mean scores about 393 / 470 cycles on this split; the network must do far better.
    expect(g.primary_test.rmse).toBeLessThan(250);
    expect(g.secondary_test.rmse).toBeLessThan(300);
    expect(t.result!.features[0].coef).toBeNull();
    expect(t.result!.intercept).toBeNull();
  });

  it("the capacity-fade set predicts the cycle life of uploaded cells from their first 100 cycles", async () => {
    // Eight cells whose PCL grows linearly at different rates; each reaches PCL 0.2 (end of life) at 0.2 / rate.
    const lines = ["cell_id,cycle,temp_c,pcl,rul"];
    const life: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const rate = 1e-4 * (1 + 0.3 * i);
      life[`U${i}`] = Math.round(0.2 / rate);
      for (let k = 1; k <= 120; k++) lines.push(`U${i},${k},30,${(rate * k).toFixed(8)},${life[`U${i}`] - k}`);
    }
    const up = await user.caller.battery.upload({
      fileName: "fade.csv",
      contentBase64: Buffer.from(lines.join("\n") + "\n").toString("base64"),
      name: `fade-${Date.now()}`,
    });
    if (!up.ok) throw new Error(JSON.stringify(up.problems));
    const created = await createEarlyLifeTask(
      user.id,
      {
        name: `fade-${Date.now()}`,
        datasetId: up.datasetId,
        split: "custom",
        trainCells: ["U0", "U2", "U3", "U4", "U5", "U7"],
        testCells: ["U1", "U6"],
        featureSet: "fade",
      },
      { jobNamePrefix: prefix },
    );
    const t = await finished(created.id);
    expect(t.error).toBeNull();
    const test = t.result!.groups[0];
    expect(test.cells.map((c) => [c.key, c.trueLife])).toEqual([
      ["U1", life.U1],
      ["U6", life.U6],
    ]);
    // Faster fade, shorter life: the test cells are ranked right and land within 15 %.
    expect(test.cells[1].predictedLife).toBeLessThan(test.cells[0].predictedLife);
    expect(test.mape).toBeLessThan(0.15);
  });

  it("refuses cells without the feature set's data and unknown cells, naming them", async () => {
    const up = await user.caller.battery.upload({
      fileName: "early.csv",
      contentBase64: Buffer.from(
        "cell_id,cycle,temp_c,pcl,rul\n" +
          ["A", "B", "C", "D", "E", "F"]
            .flatMap((c) => [1, 2, 3].map((k) => `${c},${k},30,0.0${k},${300 - k}`))
            .join("\n") +
          "\n",
      ).toString("base64"),
      name: `early-upload-${Date.now()}`,
    });
    if (!up.ok) throw new Error(JSON.stringify(up.problems));
    const custom = {
      name: "x",
      datasetId: up.datasetId,
      split: "custom" as const,
      trainCells: ["A", "B", "C", "D", "E"],
      testCells: ["F"],
    };
    await expect(user.caller.earlyLife.create({ ...custom, featureSet: "variance" })).rejects.toThrow(
      /cell A: ΔQ₁₀₀₋₁₀ curve/,
    );
    await expect(user.caller.earlyLife.create({ ...custom, testCells: ["Z9"] })).rejects.toThrow(
      /Unknown cell\(s\) in this dataset: Z9/,
    );
    await expect(user.caller.earlyLife.create({ name: "x", datasetId: up.datasetId })).rejects.toThrow(
      /no Severson split/,
    );
    await expect(user.caller.earlyLife.create({ ...custom, trainCells: ["A"] })).rejects.toThrow(
      /at least 5 training cells/,
    );
    expect(await db()("earlyLifeTasks").where({ userId: user.id, name: "x" }).first()).toBeUndefined();
  });
});
