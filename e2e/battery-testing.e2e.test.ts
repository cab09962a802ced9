/**
 * Battery Lab testing in a real browser: create a test job of a Baseline version (trained for
 * 3 epochs through the training service) on the 40 secondary-test cells, watch its progress
 * stream in, see the charts and the per-cell table, download the CSV and XLSX, open the report.
 * The worker is in-process (started once the page waits for it, so the progress is seen live).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { parse } from "csv-parse/sync";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import { startTestWorker, trainBaselineVersion } from "../server/testing/battery-fixtures.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { TEST_JOB } from "../server/services/testing/test-jobs.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";

let env: E2EEnv;
let user: TestUser;
let versionId: number;
let worker: Worker | null = null;

let jobPrefix: string;
beforeAll(async () => {
  // The page's test jobs get this file's queue prefix, served only by this file's worker (never another file's jobs).
  jobPrefix = prefixOwnJobs("e2e-testing");
  user = await createTestUser("e2e-testing");
  const trainer = startTestWorker("e2e-testing-train");
  try {
    versionId = await trainBaselineVersion(user.id, trainer);
  } finally {
    await trainer.stop();
  }
  env = await startE2E();
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("Battery testing in a real browser", () => {
  it("creates a test job, shows live progress, charts and table, downloads CSV and XLSX", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/battery/tests`);
    await page.getByTestId("field-version").click();
    // The user's own version number (v1), never the database id (#23 item 10).
    expect(await page.getByRole("option", { name: new RegExp(`#${versionId}\\b`) }).count()).toBe(0);
    await page.getByRole("option", { name: /^v1 / }).click();
    await page.getByTestId("field-preset").click();
    await page.getByRole("option", { name: /^Severson secondary test \(40\)/ }).click();
    await page.getByTestId("quota-jobs").waitFor();
    expect(await page.getByTestId("quota-jobs").textContent()).toMatch(
      /Your jobs: \d+ of 20 queued or running; this adds 1\./,
    );
    await screenshot(page, "battery-testing-1-form");
    await page.getByTestId("submit-test").click();
    await page.waitForURL(/\/battery\/tests\/\d+$/);
    await page.getByTestId("test-progress").waitFor();
    expect(await page.getByTestId("test-summary").textContent()).toMatch(/^v1 /);
    await screenshot(page, "battery-testing-2-pending");

    // The page's job is an ordinary battery.test job: serve it now, in this process.
    worker = startWorkerFor([TEST_JOB], jobPrefix);
    await page
      .getByTestId("progress-cell")
      .filter({ hasText: /^cell \S+ \(\d+\/40\)/ })
      .waitFor({ timeout: 60_000 });
    await page.getByTestId("running-metrics").waitFor();
    await screenshot(page, "battery-testing-3-progress");

    await page.getByTestId("metric-cards").waitFor({ timeout: 90_000 });
    expect(await page.getByTestId("test-status").textContent()).toMatch(/SUCCEEDED/i);
    expect(await page.getByTestId("metric-cards").locator("[data-testid^=metric-]").count()).toBe(8);
    const pred = page.getByTestId("chart-pred-pcl");
    await pred.locator("path.recharts-line-curve").nth(1).waitFor({ timeout: 30_000 });
    // Readable without hovering: a legend says which line is which, axis numbers are rounded.
    expect(await pred.locator('[class*="legendItemName"]').allTextContents()).toEqual(["true", "predicted"]);
    const ticks = await pred.locator(".recharts-yAxis .recharts-cartesian-axis-tick-value").allTextContents();
    expect(ticks.length).toBeGreaterThan(2);
    expect(ticks.filter((v) => v.replace(/^−?-?0?\.?/, "").length > 6)).toEqual([]);
    await page.getByTestId("chart-residual-pcl").locator("path.recharts-line-curve").first().waitFor();
    await page.getByTestId("chart-histogram-pcl").locator(".recharts-bar-rectangle path").first().waitFor();
    await page.getByTestId("chart-cell-errors-pcl").locator(".recharts-bar-rectangle path").first().waitFor();
    expect(await page.getByTestId("chart-boxplot-pcl").locator("[data-testid=box]").count()).toBe(40);
    expect(await page.getByTestId("cell-table").locator("tbody tr").count()).toBe(40);
    await screenshot(page, "battery-testing-4-results");

    // Sort by cell, pick a row: the cell charts follow. Switch to RUL.
    await page.getByTestId("sort-cellKey").click();
    const first = (await page.getByTestId("cell-row").first().locator("td").first().textContent())!;
    await page.getByTestId("cell-row").first().click();
    await page.getByText(`Cell ${first}: predicted vs true PCL`).waitFor();
    await page.getByTestId("target-switch").getByText("RUL").click();
    await page.getByTestId("chart-pred-rul").locator("path.recharts-line-curve").nth(1).waitFor();
    await page.getByTestId("chart-boxplot-rul").locator("[data-testid=box]").nth(39).waitFor();
    await screenshot(page, "battery-testing-5-rul");

    // Downloads.
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-e2e-"));
    const get = async (testId: string) => {
      const [dl] = await Promise.all([page.waitForEvent("download"), page.getByTestId(testId).click()]);
      const file = path.join(dir, dl.suggestedFilename());
      await dl.saveAs(file);
      return file;
    };
    const csvFile = await get("download-csv");
    expect(csvFile).toMatch(/\.csv$/);
    const rows = parse(fs.readFileSync(csvFile), { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0])).toEqual(["cell", "cycle", "target", "y_true", "y_pred", "residual"]);
    expect(new Set(rows.map((r) => r.cell)).size).toBe(40);
    const xlsxFile = await get("download-xlsx");
    expect(xlsxFile).toMatch(/\.xlsx$/);
    expect(fs.readFileSync(xlsxFile).subarray(0, 2).toString()).toBe("PK");

    await page.getByTestId("open-report").click();
    await page.getByTestId("report").waitFor();
    expect(await page.getByTestId("report-cells").locator("tbody tr").count()).toBe(80);
    // A readable date and readable settings, not an ISO string and raw JSON.
    const metaText = (await page.getByTestId("report-meta").textContent())!;
    expect(metaText).toMatch(/Created at\d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(metaText).toMatch(/Model versionv1 /);
    expect(metaText).not.toContain(`#${versionId}`);
    expect(metaText).not.toMatch(/T\d\d:\d\d:\d\d\.\d{3}Z|\{"/);
    await page.emulateMedia({ media: "print" });
    await screenshot(page, "battery-testing-6-report-print");
    await context.close();
  });
});
