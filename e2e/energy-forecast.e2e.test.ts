/**
 * Energy forecasting in a real browser: on an uploaded 15-min series (a daily cycle + noise),
 * train with the form's defaults (Auto, lookback/horizon derived from the frequency, a short
 * budget) through the job table (live progress), see the candidates Auto compared and the
 * comparison table beside seasonal naive, open the forecast page and find the median line, the
 * calibrated 10–90 % band and the CSV; then forecast from an uploaded file: a file with the
 * wrong columns is refused naming the column, a good one draws the forecast after its last
 * point. An in-process worker serves only this file's energy.train jobs (a job-name prefix).
 */
import fs from "node:fs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, expectProblems, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { ENERGY_TRAIN_JOB } from "../server/services/energy/models.js";
import { AUTO_CANDIDATES } from "../server/services/energy/auto.js";
import { createSyntheticAsset, syntheticCsv } from "../server/testing/anomaly-fixtures.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let assetId: number;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-energy-train");
  env = await startE2E();
  user = await createTestUser("e2e-forecast");
  assetId = await createSyntheticAsset(user, 1200);
  worker = startWorkerFor([ENERGY_TRAIN_JOB], jobPrefix);
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("Energy forecasting in a real browser", () => {
  it("trains with Auto on an uploaded series and draws the calibrated forecast, from the asset and from a file", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${env.baseUrl}/energy/models?asset=${assetId}`);
    await page.getByTestId("energy-train-form").waitFor();
    await page.getByTestId("quota-jobs").waitFor();
    expect(await page.getByTestId("quota-jobs").textContent()).toMatch(
      /Your jobs: \d+ of 20 queued or running; this adds 1\./,
    );
    // The defaults come from the 15-min frequency: one day = 96 steps, 3 days of lookback for 1200 points.
    await page.waitForFunction(
      () =>
        (document.querySelector('[data-testid="energy-train-lookback"]') as HTMLInputElement | null)?.value === "288",
      null,
      { timeout: 30_000 },
    );
    expect(await page.getByTestId("energy-train-derived").textContent()).toContain("one day = 96 steps");
    expect(await page.getByTestId("energy-train-horizon").inputValue()).toBe("96");
    expect(await page.getByTestId("energy-train-kind").inputValue()).toContain("Auto");
    await page.getByTestId("energy-train-budget").fill("15");
    await page.getByTestId("energy-train-submit").click();

    const status = page.getByTestId("energy-training-status");
    await status.waitFor();
    await screenshot(page, "energy-forecast-1-training");
    await page
      .locator('[data-testid="energy-training-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 240_000 })
      .catch(async (e) => {
        await screenshot(page, "energy-forecast-debug");
        throw new Error(`${e.message}\n${errors.join("\n")}`);
      });
    // The comparison table: the new version and the seasonal-naive baseline row; Auto's candidates with one chosen.
    await page.getByTestId("comparison-row").first().waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("comparison-baseline").textContent()).toContain("seasonal naive");
    expect(await page.locator('[data-testid="energy-version-row"][data-status="SUCCEEDED"]').count()).toBe(1);
    await page.getByTestId("auto-candidates").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("auto-candidate").count()).toBe(AUTO_CANDIDATES.length);
    expect(await page.locator('[data-testid="auto-candidate"][data-chosen="yes"]').count()).toBe(1);
    expect(await page.getByTestId("auto-candidates").textContent()).toContain("calibrated");
    await screenshot(page, "energy-forecast-2-trained");

    await page.getByTestId("energy-version-forecast").first().click();
    const chart = page.getByTestId("forecast-chart");
    await chart.waitFor({ timeout: 30_000 });
    expect(await chart.getAttribute("data-points")).toBe("96");
    expect(await page.getByTestId("forecast-band-note").textContent()).toContain("calibrated");
    // The band is a filled area, the history and the median are lines.
    const band = page.locator('[data-testid="forecast-chart"] .recharts-area-area');
    await band.first().waitFor();
    expect((await band.first().getAttribute("d"))?.length ?? 0).toBeGreaterThan(200);
    expect(await page.locator('[data-testid="forecast-chart"] path.recharts-line-curve').count()).toBe(2);
    await screenshot(page, "energy-forecast-3-chart");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("forecast-download").click(),
    ]);
    const csv = fs
      .readFileSync(await download.path(), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("timestamp,q10,q50,q90");
    expect(csv).toHaveLength(97);
    const [, q10, q50, q90] = csv[1].split(",").map(Number);
    expect(q10).toBeLessThanOrEqual(q50);
    expect(q50).toBeLessThanOrEqual(q90);

    // Forecast from a file: wrong columns first (refused: a 400 the page shows), then 400 points that go on past the asset.
    expectProblems(/HTTP 400 .*energyModels\.forecastFromFile/, /console error .*status of 400/);
    await page.getByTestId("forecast-source").getByText("Uploaded file").click();
    const input = page.getByTestId("forecast-file-input");
    await input.waitFor();
    const later = syntheticCsv(1300).trim().split("\n");
    const fileInput = page.locator('input[type="file"]');
    await fileInput.setInputFiles({
      name: "wrong.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(["time,power", ...later.slice(-400)].join("\n")),
    });
    const alert = page.getByTestId("forecast-error");
    await alert.waitFor({ timeout: 30_000 });
    expect(await alert.textContent()).toContain('no column "kwh"');
    await screenshot(page, "energy-forecast-4-file-refused");
    await fileInput.setInputFiles({
      name: "recent.csv",
      mimeType: "text/csv",
      buffer: Buffer.from([later[0], ...later.slice(-400)].join("\n")),
    });
    await page.locator('[data-testid="forecast-chart"]').waitFor({ timeout: 30_000 });
    const firstRow = page.locator('[data-testid="forecast-table"] tbody tr').first();
    const lastTs = later.at(-1)!.split(",")[0];
    const next = new Date(Date.parse(lastTs.replace(" ", "T") + "Z") + 900_000)
      .toISOString()
      .slice(0, 16)
      .replace("T", " ");
    await page.waitForFunction(
      (t) => document.querySelector('[data-testid="forecast-table"] tbody tr td')?.textContent === t,
      next,
      { timeout: 30_000 },
    );
    expect(await firstRow.locator("td").first().textContent()).toBe(next);
    await screenshot(page, "energy-forecast-5-from-file");
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
