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
    expect(await page.getByTestId("field-featureSet").inputValue()).toMatch(/^Extended.*\(default\)$/);
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

    await page.waitForURL(/\/battery\/early-life\/\d+$/);
    await page.getByTestId("early-life-status").getByText("SUCCEEDED").waitFor({ timeout: 120_000 });
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
    await page.getByTestId("early-life-list").getByText("E2E early life").waitFor();
    await context.close();
  });
});
