/**
 * Early-life cycle-life prediction in a real browser: the dataset page's feature coverage, then
 * the form (defaults from the bench), the job (an in-process worker serving only this file's
 * job-name prefix), the results page (metrics, scatter with the diagonal, per-cell table) and
 * the CSV / XLSX exports.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { EARLY_LIFE_JOB } from "../server/services/early-life/tasks.js";
import { SESSION_COOKIE } from "../server/auth/token.js";
import ExcelJS from "exceljs";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-early");
  env = await startE2E();
  user = await createTestUser("e2e-early");
  worker = startWorkerFor([EARLY_LIFE_JOB], jobPrefix);
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("Early-life prediction in a real browser", () => {
  it("shows feature coverage, runs the default early-life task from the form to results and exports", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();

    // Coverage on the dataset page: IR for every cell, but whole-life only for 83 of them; flagged raw values listed.
    await page.goto(`${env.baseUrl}/battery`);
    const ir = page.getByTestId("coverage-ir_ohm");
    await ir.waitFor();
    expect(await ir.textContent()).toContain("124 / 124");
    await page.getByText("Flagged raw values (71)").waitFor();
    await page.getByTestId("feature-coverage").scrollIntoViewIfNeeded();
    await screenshot(page, "early-life-1-coverage");

    await page.goto(`${env.baseUrl}/battery/early-life`);
    await page.getByTestId("submit-early-life").waitFor();
    await page.getByTestId("quota-jobs").waitFor();
    expect(await page.getByTestId("quota-jobs").textContent()).toMatch(
      /Your jobs: \d+ of 20 queued or running; this adds 1\./,
    );
    expect(await page.getByTestId("field-featureSet").inputValue()).toMatch(/^Ensemble.*\(default\)$/);
    // Custom cells are validated in place.
    await page.getByTestId("field-split").click();
    await page.getByRole("option", { name: /^Choose training and test cells/ }).click();
    await page.getByTestId("submit-early-life").click();
    await page.getByText("Choose at least 5 training cells").waitFor();
    await page.getByTestId("field-split").click();
    await page.getByRole("option", { name: /^Severson/ }).click();
    await page.getByTestId("field-name").fill("E2E early life");
    await screenshot(page, "early-life-2-form");
    await page.getByTestId("submit-early-life").click();

    // The in-process worker may take the job and fit (CPU-bound, same process as the web server)
    // before the page has navigated: allow for the fit.
    await page.waitForURL(/\/battery\/early-life\/\d+$/, { timeout: 120_000 });
    const resultUrl = page.url();
    // The shared status badge (the same words and colours as every other job page).
    await page.getByTestId("early-life-status").getByText("SUCCEEDED").waitFor({ timeout: 120_000 });
    expect(await page.getByTestId("early-life-status").getByTestId("job-status").getAttribute("data-status")).toBe(
      "SUCCEEDED",
    );
    const primary = await page.getByTestId("metric-primary_test").textContent();
    const secondary = await page.getByTestId("metric-secondary_test").textContent();
    expect(primary).toMatch(/primary_test \(43 cells\)RMSE \d+ cycles/);
    expect(secondary).toMatch(/secondary_test \(40 cells\)RMSE \d+ cycles/);
    // Better than predicting the mean (about 393 / 470 cycles on this split).
    expect(Number(/RMSE (\d+)/.exec(secondary!)![1])).toBeLessThan(300);
    await page.getByTestId("life-scatter").locator(".recharts-scatter-symbol").nth(82).waitFor();
    expect(await page.getByTestId("life-scatter").getByText("perfect prediction (y = x)").count()).toBe(1);
    expect(await page.getByTestId("early-life-cells").locator("tbody tr").count()).toBe(83);
    await screenshot(page, "early-life-3-results");

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-e2e-early-"));
    const get = async (testId: string) => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
      const file = path.join(dir, dl.suggestedFilename());
      await dl.saveAs(file);
      return file;
    };
    const csvFile = await get("export-csv");
    const rows = parse(fs.readFileSync(csvFile), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual([
      "group",
      "cell",
      "true_cycle_life",
      "predicted_cycle_life",
      "error",
      "abs_pct_error",
    ]);
    expect(rows).toHaveLength(83);
    const xlsxFile = await get("export-xlsx");
    expect(xlsxFile).toMatch(/\.xlsx$/);
    expect(fs.readFileSync(xlsxFile).subarray(0, 2).toString()).toBe("PK");

    await page.goto(`${env.baseUrl}/battery/early-life`);
    const listed = page.getByTestId("early-life-list").locator("tbody tr", { hasText: "E2E early life" });
    await listed.waitFor();
    expect(await listed.getByTestId("job-status").getAttribute("data-status")).toBe("SUCCEEDED");
    await context.close();

    // The same pages in a Chinese browser: labels, statuses and the XLSX export in Chinese.
    const zh = await env.browser.newContext({ locale: "zh-CN", viewport: { width: 1400, height: 900 } });
    await zh.addCookies([
      { name: SESSION_COOKIE, value: user.token, domain: new URL(env.baseUrl).hostname, path: "/", sameSite: "Lax" },
    ]);
    const zp = await zh.newPage();
    await zp.goto(`${env.baseUrl}/battery/early-life`);
    const zrow = zp.getByTestId("early-life-list").locator("tbody tr", { hasText: "E2E early life" });
    await zrow.waitFor();
    expect(await zrow.getByTestId("job-status").innerText()).toBe("成功");
    let text = await zp.locator("main").innerText();
    for (const w of ["早期循环寿命预测", "开始预测任务", "您的早期寿命预测任务", "特征集"]) expect(text).toContain(w);
    expect(await zp.getByTestId("field-featureSet").inputValue()).toMatch(/^集成：.*（默认）$/);
    for (const w of ["Start prediction task", "Feature set", "Your early-life tasks", "(default)", "Status"])
      expect(text).not.toContain(w);
    await screenshot(zp, "zh-early-life-1-form");
    await zp.goto(resultUrl);
    await zp.getByTestId("early-life-status").getByText("成功").waitFor();
    await zp.getByTestId("life-scatter").locator(".recharts-scatter-symbol").nth(82).waitFor();
    text = await zp.locator("main").innerText();
    for (const w of ["primary_test（43 节电池）", "预测与真实循环寿命", "逐电池结果", "完美预测（y = x）", "导出 XLSX"])
      expect(text).toContain(w);
    for (const w of ["cycles", "Per cell", "Export", "perfect prediction", "Predicted", "training cells", "intercept"])
      expect(text).not.toContain(w);
    expect(await zp.title()).toBe("早期寿命预测结果 · VoltLab");
    await screenshot(zp, "zh-early-life-2-result");
    const [dl] = await Promise.all([zp.waitForEvent("download"), zp.getByTestId("export-xlsx").click()]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(fs.readFileSync((await dl.path())!) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["汇总", "模型", "电池"]);
    await zh.close();
  });
});
