/**
 * History-aware RUL on the Severson preset in a real browser: the form opens on it (observed PCL
 * and its trend, ΔQ₁₀₀₋₁₀ inputs, what each model may see explained), a few epochs train through the
 * real worker, and the run's log names the history inputs it read. An in-process worker serves
 * only this file's training jobs (a job-name prefix).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { TRAIN_JOB } from "../server/services/training/tasks.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-history");
  env = await startE2E();
  user = await createTestUser("e2e-history");
  worker = startWorkerFor([TRAIN_JOB], jobPrefix);
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("History-aware battery prognosis in a real browser", () => {
  it("trains the form's default history-aware RUL task on the Severson split and reads only the history it shows", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/battery/train`);
    await page.getByTestId("train-form").waitFor();
    // The defaults: Severson split, RUL, observed PCL and its trend over 50 cycles, both ΔQ₁₀₀₋₁₀ inputs.
    expect(await page.getByTestId("field-split").inputValue()).toMatch(/^Severson/);
    expect(await page.getByTestId("field-target").inputValue()).toMatch(/^RUL/);
    expect(await page.getByTestId("field-historyWindow").inputValue()).toBe("50");
    expect(await page.getByTestId("field-historyPcl").isChecked()).toBe(true);
    for (const e of ["dq_logvar", "dq_logmin"]) expect(await page.getByTestId(`early-${e}`).isChecked()).toBe(true);
    const explainer = page.getByTestId("history-explainer");
    expect(await explainer.textContent()).toContain("never a later cycle");
    expect(await explainer.textContent()).toContain("the observed PCL at t and its trend");
    await page.getByTestId("field-name").fill("E2E history-aware RUL");
    await page.getByTestId("field-epochs-baseline").fill("5");
    await page.getByTestId("history-card").scrollIntoViewIfNeeded();
    await screenshot(page, "history-1-form");

    await page.getByTestId("start-training").click();
    await page.waitForURL(/\/battery\/tasks\/\d+$/);
    await page.getByTestId("task-status").and(page.locator("[data-status=SUCCEEDED]")).waitFor({ timeout: 150_000 });
    await page
      .getByText(
        /history: observed PCL and its trend over 50 cycles; log₁₀ var ΔQ₁₀₀₋₁₀\(V\), log₁₀ \|min ΔQ₁₀₀₋₁₀\(V\)\| \(from cycle 100\)/,
      )
      .waitFor();
    // The run read the history columns (after the features, before the cycle) and nothing else.
    await page
      .getByTestId("job-log-line")
      .filter({
        hasText:
          "inputs kong_slope, kong_intercept, tavg_c, pcl_observed, pcl_trend_50, dq_logvar, dq_logmin, cycle; targets rul",
      })
      .first()
      .waitFor();
    const table = page.getByTestId("comparison-table");
    await table.waitFor();
    expect(await table.textContent()).toContain("Test RUL RMSE");
    await screenshot(page, "history-2-results");
    await context.close();
  }, 200_000);
});
