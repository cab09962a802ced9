/**
 * The training and testing pages in Chinese (#24): a Chinese browser opens the training form, the
 * task list and a task, the model library, the test form and a finished test job with its report;
 * each speaks Chinese (key labels checked) with none of the former English labels left, the test
 * pages number the version v1 (the user's own numbering, never the database id, #23), and the
 * test job's XLSX has Chinese sheet names. Screenshots zh-training-*.png.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Page } from "playwright-core";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import {
  builtinDatasetId,
  runTestJobToEnd,
  startTestWorker,
  trainBaselineVersion,
} from "../server/testing/battery-fixtures.js";

let env: E2EEnv;
let user: TestUser;
let versionId: number;
let testJobId: number;
beforeAll(async () => {
  user = await createTestUser("e2e-train-zh");
  const w = startTestWorker("e2e-train-zh");
  try {
    versionId = await trainBaselineVersion(user.id, w, { name: "中文任务" });
    const tj = await runTestJobToEnd(user.id, w, {
      versionId,
      datasetId: await builtinDatasetId(),
      cellKeys: ["124"],
      preset: "case_a",
      targets: ["pcl"],
      locale: "zh-CN",
    });
    testJobId = tj.id;
  } finally {
    await w.stop();
  }
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

/** The page's main content (the header's language switch says "English" on purpose). */
const main = async (page: Page) => (await page.locator("main").textContent()) ?? "";

describe("training and testing pages in Chinese", () => {
  it("speak Chinese, number the version v1, and export Chinese sheets", async () => {
    const zh = { timezoneId: "UTC", locale: "zh-CN" };
    const context = await signedInContext(env, user, zh);
    const page = await context.newPage();

    await page.goto(`${env.baseUrl}/battery/train`);
    await page.getByTestId("train-form").waitFor();
    await page.getByText("训练电池模型").waitFor();
    for (const label of ["数据划分", "预测目标", "算法", "学习率", "开始训练", "历史：模型可以看到什么"])
      expect(await main(page)).toContain(label);
    expect(await main(page)).toContain("轮次（epoch），基线 MLP");
    for (const english of ["Train battery models", "Start training", "Learning rate", "Algorithms", "Split"])
      expect(await main(page)).not.toContain(english);
    expect(await page.title()).toBe("训练电池模型 · VoltLab");
    // A Chinese validation message, naming the field.
    await page.getByTestId("field-epochs-baseline").fill("6000");
    await page.getByTestId("start-training").click();
    await page.getByText("轮次不能大于 5000").waitFor();
    await screenshot(page, "zh-training-1-form");

    await page.goto(`${env.baseUrl}/battery/tasks`);
    await page.getByTestId("task-table").waitFor();
    expect(await main(page)).toContain("新建训练任务");
    expect(await main(page)).toContain("Wen 案例 A");
    expect(await main(page)).not.toMatch(/Training tasks|New training task|Created/);
    await page.getByRole("link", { name: "中文任务" }).click();
    await page.getByTestId("comparison-table").waitFor();
    expect(await page.getByTestId("task-summary").textContent()).toMatch(
      /^Wen 案例 A.* · 目标 PCL \+ RUL .* · 轮次 3 · 学习率/,
    );
    expect(await main(page)).toContain("取消任务");
    expect(await main(page)).toContain("版本 v1");
    expect(await main(page)).not.toMatch(/Cancel task|Results|open in library/);
    await screenshot(page, "zh-training-2-task");

    await page.goto(`${env.baseUrl}/battery/models`);
    await page.getByTestId("model-row").first().waitFor();
    expect(await main(page)).toContain("测试此版本");
    expect(await page.getByTestId("filter-algorithm").inputValue()).toBe("全部算法");
    expect(await main(page)).not.toMatch(/Model library|Test this version|Rename|Kept epoch/);
    await screenshot(page, "zh-training-3-library");

    await page.goto(`${env.baseUrl}/battery/tests`);
    await page.getByTestId("test-form").waitFor();
    await page.getByTestId("field-version").click();
    // The user's own number, never the database id.
    await page.getByRole("option", { name: /^v1 中文任务/ }).waitFor();
    expect(await page.getByRole("option", { name: new RegExp(`#${versionId}\\b`) }).count()).toBe(0);
    await page.keyboard.press("Escape");
    expect(await main(page)).toContain("运行测试");
    expect(await main(page)).not.toMatch(/Run test|Model version|Test jobs/);
    await screenshot(page, "zh-training-4-test-form");

    await page.goto(`${env.baseUrl}/battery/tests/${testJobId}`);
    await page.getByTestId("metric-cards").waitFor();
    // The version's number comes with the models list, which may land after the metric cards.
    await expect.poll(() => page.getByTestId("test-summary").textContent()).toMatch(/^v1 中文任务/);
    expect(await main(page)).toContain("残差直方图");
    expect(await main(page)).not.toMatch(/Residual histogram|Printable report|Per-cell metrics/);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-zh-"));
    const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId("download-xlsx").click()]);
    const file = path.join(dir, "result.xlsx");
    await dl.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["概要", "总体指标", "各电池指标", "明细"]);
    await screenshot(page, "zh-training-5-test-job");

    await page.getByTestId("open-report").click();
    await page.getByTestId("report").waitFor();
    const meta = (await page.getByTestId("report-meta").textContent()) ?? "";
    expect(meta).toMatch(/模型版本v1 中文任务/);
    expect(meta).not.toContain(`#${versionId}`);
    expect(await main(page)).not.toMatch(/Overall metrics|Model version|Print\b/);
    await screenshot(page, "zh-training-6-report");
    await context.close();
  }, 240_000);
});
