/**
 * Anomaly detection in a real browser, on a demo asset (a synthetic 15-min series with a daily
 * cycle and three spikes, uploaded as the user): create a streaming detector with the form's
 * defaults, run a batch detection (energy.detect through the job table, an in-process worker
 * serving only this file's jobs), see the probation band, the threshold line and the alert
 * with its score on the chart and why it fired in the events table, download the events CSV;
 * then open the live page and watch points posted with the user's API key arrive and alert.
 * The quantile form (a ready GBDT version trained in-process) is still one click away.
 */
import fs from "node:fs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { DETECT_JOB } from "../server/services/anomaly/detections.js";
import { createSyntheticAsset, trainReadyVersion } from "../server/testing/anomaly-fixtures.js";
import { loadSeries } from "../server/services/energy/series.js";
import { DEFAULT_STREAMING } from "../server/services/anomaly/streaming.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let assetId: number;
let versionId: number;
let assetName: string;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-anomaly");
  env = await startE2E();
  user = await createTestUser("e2e-anomaly");
  assetId = await createSyntheticAsset(user);
  versionId = (await trainReadyVersion(user.id, assetId)).id;
  assetName = (await user.caller.energy.assets.list()).find((x) => x.id === assetId)!.name;
  worker = startWorkerFor([DETECT_JOB], jobPrefix);
}, 120_000);
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("Anomaly detection in a real browser", () => {
  it("creates a streaming detector with the defaults, detects the spike of the demo asset and explains the alert, then streams points live", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${env.baseUrl}/energy/anomaly`);
    await page.getByTestId("anomaly-fit-streaming-form").waitFor();
    // The quantile kind remains an option (it needs a ready version).
    await page.getByTestId("anomaly-fit-kind").getByText("Quantile of forecast residuals").click();
    await page.getByTestId("anomaly-fit-form").waitFor();
    expect(await page.getByTestId("anomaly-fit-version").inputValue()).toContain(`#${versionId}`);
    await page.getByTestId("anomaly-fit-kind").getByText("Streaming (default)").click();
    // Streaming with its defaults: only the asset is chosen.
    await page.getByTestId("anomaly-fit-asset").click();
    await page.getByRole("option", { name: assetName }).click();
    expect(await page.getByTestId("anomaly-fit-threshold").inputValue()).toBe(String(DEFAULT_STREAMING.threshold));
    await page.getByTestId("anomaly-fit-submit").click();
    const row = page.getByTestId("anomaly-detector-row").first();
    await row.waitFor({ timeout: 30_000 });
    expect(await row.textContent()).toContain("streaming");
    expect(await row.textContent()).toContain(`score ≥ ${DEFAULT_STREAMING.threshold}`);
    expect(await row.textContent()).toContain("probation 150 points");
    await screenshot(page, "energy-anomaly-1-detector");

    await page.getByTestId("quota-jobs").waitFor();
    expect(await page.getByTestId("quota-jobs").textContent()).toMatch(
      /Your jobs: \d+ of 20 queued or running; this adds 1\./,
    );
    await page.getByTestId("anomaly-detect-submit").click();
    await page.waitForURL(/\/energy\/anomaly\/detections\/\d+/);
    await page
      .locator('[data-testid="anomaly-detection-status"][data-status="SUCCEEDED"]')
      .waitFor({ timeout: 120_000 })
      .catch(async (e) => {
        await screenshot(page, "energy-anomaly-debug");
        throw new Error(`${e.message}\n${errors.join("\n")}`);
      });
    const chart = page.getByTestId("anomaly-streaming-chart");
    await chart.waitFor();
    // The spike at point 700 alerts once (701 is the same anomaly).
    expect(Number(await chart.getAttribute("data-alerts"))).toBeGreaterThanOrEqual(1);
    expect(await chart.getAttribute("data-probation")).toBe("shown");
    // Readable without hovering: the probation band and the threshold line carry their labels, the alert its score.
    await expect(
      page.locator('[data-testid="anomaly-streaming-chart"] .recharts-reference-area').first().isVisible(),
    ).resolves.toBe(true);
    const svgText = (await chart.locator("svg text").allTextContents()).join(" | ");
    expect(svgText).toContain("probation (learning, no alerts)");
    expect(svgText).toContain(`threshold ${DEFAULT_STREAMING.threshold}`);
    expect(svgText).toMatch(/alert\s?\d\.\d\d/);
    expect(
      await page.locator('[data-testid="anomaly-streaming-chart"] .anomaly-alerts .recharts-symbols').count(),
    ).toBeGreaterThanOrEqual(1);
    const firstEvent = page.getByTestId("anomaly-event-row").first();
    expect(await firstEvent.textContent()).toContain("2024-01-08 07:00");
    expect(await page.getByTestId("anomaly-event-reason").first().textContent()).toMatch(
      new RegExp(`score \\d\\.\\d{3} ≥ threshold ${DEFAULT_STREAMING.threshold}`),
    );
    await screenshot(page, "energy-anomaly-2-detection");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("anomaly-csv-events").click(),
    ]);
    const csv = fs
      .readFileSync(await download.path(), "utf8")
      .trim()
      .split("\n");
    expect(csv[0]).toBe("start,end,peak_ts,peak_score,points");
    expect(csv.length).toBeGreaterThanOrEqual(2);

    // Live: the page listens; points posted with the API key arrive, a spike beyond the range seen alerts.
    const detectorId = (await user.caller.anomaly.detectors({}))[0].id;
    await page.goto(`${env.baseUrl}/energy/anomaly/live?detector=${detectorId}`);
    await page.locator('[data-testid="anomaly-live-status"]', { hasText: "listening" }).waitFor({ timeout: 30_000 });
    const s = await loadSeries({ assetId, userId: user.id });
    const last = s.timestamps[s.timestamps.length - 1];
    const pts = Array.from({ length: 40 }, (_, k) => ({
      ts: last + (k + 1) * 900_000,
      value: 50 + 20 * Math.sin((2 * Math.PI * (1000 + k)) / 96) + (k === 30 ? 90 : 0),
    }));
    for (let i = 0; i < pts.length; i += 10)
      await user.keyCaller.anomaly.score({ assetId, detectorId, points: pts.slice(i, i + 10) });
    await page.locator('[data-testid="anomaly-live-arrived"]', { hasText: "40" }).waitFor({ timeout: 30_000 });
    await page.getByTestId("anomaly-live-flag").first().waitFor({ timeout: 10_000 });
    expect(Number(await page.getByTestId("anomaly-live-chart").getAttribute("data-alerts"))).toBe(1);
    expect(await page.getByTestId("anomaly-live-flag").first().textContent()).toContain(
      `≥ threshold ${DEFAULT_STREAMING.threshold}`,
    );
    await screenshot(page, "energy-anomaly-3-live");
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);
});
