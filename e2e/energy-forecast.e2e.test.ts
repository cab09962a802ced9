/**
 * Energy forecasting in a real browser: on the built-in Steel asset, train a small GBDT through
 * the job table (live progress), see it in the comparison table beside seasonal naive, open the
 * forecast page and find the median line and the 10–90 % band, download the CSV. An in-process
 * worker serves only this file's energy.train jobs (a job-name prefix).
 */
import fs from "node:fs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb, db } from "../db/db.js";
import "../jobs/handlers/index.js";
import { Worker } from "../jobs/worker-runtime.js";
import { testPrefix } from "../jobs/testing.js";
import { ENERGY_TRAIN_JOB, energyTrainJobDefaults } from "../server/services/energy/models.js";
import { BUILTIN_STEEL_NAME } from "../server/services/energy/types.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let steelId: number;
beforeAll(async () => {
  energyTrainJobDefaults.namePrefix = testPrefix("e2e-energy-train");
  env = await startE2E();
  user = await createTestUser("e2e-forecast");
  steelId = (await db()("energyAssets").whereNull("userId").where({ name: BUILTIN_STEEL_NAME }).first()).id;
  worker = new Worker({
    concurrency: 1, pollMs: 100, heartbeatMs: 1000, maintenanceMs: 5000, graceMs: 1000, purgeAfterSeconds: 86_400,
    only: [ENERGY_TRAIN_JOB], namePrefix: energyTrainJobDefaults.namePrefix, log: () => {},
  });
  worker.start();
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("Energy forecasting in a real browser", () => {
  it("trains a small GBDT on the Steel asset and draws its forecast with the 10–90 % band", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${env.baseUrl}/energy/models?asset=${steelId}`);
    await page.getByTestId("energy-train-form").waitFor();
    await page.getByTestId("energy-train-lookback").fill("192");
    await page.getByTestId("energy-train-horizon").fill("96");
    await page.getByTestId("energy-train-epochs").fill("12");
    await page.getByTestId("energy-train-submit").click();

    const status = page.getByTestId("energy-training-status");
    await status.waitFor();
    await page.getByTestId("job-progress").waitFor({ timeout: 120_000 });
    await screenshot(page, "energy-forecast-1-training");
    await page.locator('[data-testid="energy-training-status"][data-status="SUCCEEDED"]').waitFor({ timeout: 240_000 }).catch(async (e) => {
      await screenshot(page, "energy-forecast-debug");
      throw new Error(`${e.message}\n${errors.join("\n")}`);
    });
    // The comparison table: the new version and the seasonal-naive baseline row.
    await page.getByTestId("comparison-row").first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("comparison-baseline").textContent()).toContain("seasonal naive");
    expect(await page.locator('[data-testid="energy-version-row"][data-status="ready"]').count()).toBe(1);
    await screenshot(page, "energy-forecast-2-trained");

    await page.getByTestId("energy-version-forecast").first().click();
    const chart = page.getByTestId("forecast-chart");
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute("data-points")).toBe("96");
    // The band is a filled area, the history and the median are lines.
    const band = page.locator('[data-testid="forecast-chart"] .recharts-area-area');
    await band.first().waitFor();
    expect((await band.first().getAttribute("d"))?.length ?? 0).toBeGreaterThan(200);
    expect(await page.locator('[data-testid="forecast-chart"] path.recharts-line-curve').count()).toBe(2);
    await screenshot(page, "energy-forecast-3-chart");

    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("forecast-download").click()]);
    const csv = fs.readFileSync(await download.path(), "utf8").trim().split("\n");
    expect(csv[0]).toBe("timestamp,q10,q50,q90");
    expect(csv).toHaveLength(97);
    const [, q10, q50, q90] = csv[1].split(",").map(Number);
    expect(q10).toBeLessThanOrEqual(q50);
    expect(q50).toBeLessThanOrEqual(q90);
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
