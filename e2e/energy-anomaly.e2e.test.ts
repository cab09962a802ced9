/**
 * Anomaly detection in a real browser, on a demo asset (a synthetic 15-min series with a daily
 * cycle and three spikes, uploaded as the user): create a streaming detector with the form's
 * defaults, run a batch detection (energy.detect through the job table, an in-process worker
 * serving only this file's jobs), see the probation band, the threshold line and the alert
 * with its score on the chart and why it fired in the events table, download the events CSV;
 * then open the live page and watch points posted with the user's API key arrive and alert.
 * The quantile form (a ready GBDT version trained in-process) is still one click away; it takes
 * only a high quantile of at least 0.5 and says why. The detection form names the detector it
 * runs and shows the asset's own dates. A second pass runs the pages in Chinese.
 */
import fs from "node:fs";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, expectProblems, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { DETECT_JOB } from "../server/services/anomaly/detections.js";
import { createSyntheticAsset, trainReadyVersion } from "../server/testing/anomaly-fixtures.js";
import { loadSeries } from "../server/services/energy/series.js";
import { DEFAULT_STREAMING } from "../server/services/anomaly/streaming.js";
import { SESSION_COOKIE } from "../server/auth/token.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let assetId: number;
let versionId: number;
let assetName: string;
let assetFirst: string;
let assetLast: string;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-anomaly");
  env = await startE2E();
  user = await createTestUser("e2e-anomaly");
  assetId = await createSyntheticAsset(user);
  versionId = (await trainReadyVersion(user.id, assetId)).id;
  const asset = (await user.caller.energy.assets.list()).find((x) => x.id === assetId)!;
  assetName = asset.name;
  assetFirst = new Date(asset.firstTs!).toISOString().slice(0, 16).replace("T", " ");
  assetLast = new Date(asset.lastTs!).toISOString().slice(0, 16).replace("T", " ");
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
    // Only a high quantile, explained; one under 0.5 is refused with the reason before anything is sent.
    expect(await page.getByTestId("anomaly-fit-low").count()).toBe(0);
    await page
      .getByText(/a low quantile, would flag points the forecast predicts well, even near-perfect ones/)
      .waitFor();
    await page.getByTestId("anomaly-fit-high").fill("0.2");
    await page.getByTestId("anomaly-fit-form").getByRole("button", { name: "Fit detector" }).click();
    await page.getByText(/A high quantile below 0\.5 puts the threshold under the typical forecast error/).waitFor();
    expect(await user.caller.anomaly.detectors({})).toEqual([]);
    await screenshot(page, "energy-anomaly-0-quantile-form");
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
    // The kind's badge is whole, not cut to "STRE…".
    const badge = row.locator(".mantine-Badge-label").first();
    expect(await badge.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
    await screenshot(page, "energy-anomaly-1-detector");

    // The detection form names the detector it runs and its settings, and shows this asset's dates.
    const detectorName = (await user.caller.anomaly.detectors({}))[0].name;
    expect(await page.getByTestId("anomaly-detect-detector").inputValue()).toContain(detectorName);
    const summary = await page.getByTestId("anomaly-detect-summary").textContent();
    expect(summary).toContain(`Runs “${detectorName}” on ${assetName}`);
    expect(summary).toContain(`streaming detector that alerts when its score reaches ${DEFAULT_STREAMING.threshold}`);
    expect(summary).toContain("probation 150 points");
    expect(await page.getByTestId("anomaly-detect-from").getAttribute("placeholder")).toBe(assetFirst);
    expect(await page.getByTestId("anomaly-detect-to").getAttribute("placeholder")).toBe(assetLast);
    expect(await page.getByTestId("anomaly-detect-asset-range").textContent()).toContain(
      `${assetFirst} to ${assetLast}`,
    );
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

    // A detection that is not the user's (here: none has this id) is a 404 page with a way back.
    expectProblems(
      /HTTP 404 .*\/energy\/anomaly\/detections\/999999999/,
      /console error on \/energy\/anomaly\/detections\/999999999: .*404/,
    );
    await page.goto(`${env.baseUrl}/energy/anomaly/detections/999999999`);
    await page.getByRole("heading", { name: "Detection not found" }).waitFor();
    await page.getByTestId("not-found-back").click();
    await page.waitForURL(/\/energy\/anomaly$/);
    expect(errors).toEqual([]);
    await context.close();
  }, 360_000);

  it("speaks Chinese: the detector forms, a detection with its chart and alerts, and the live page", async () => {
    const detector = await user.caller.anomaly.fitStreaming({ assetId, name: "中文检测器" });
    const det = await user.caller.anomaly.detect({ source: "range", detectorId: detector.id });
    await expect
      .poll(async () => (await user.caller.anomaly.detection({ id: det.id, maxPoints: 100 })).status, {
        timeout: 120_000,
      })
      .toBe("SUCCEEDED");
    const context = await env.browser.newContext({ locale: "zh-CN", viewport: { width: 1400, height: 900 } });
    const url = new URL(env.baseUrl);
    await context.addCookies([
      { name: SESSION_COOKIE, value: user.token, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
    ]);
    const page = await context.newPage();
    /** The page's main content must hold none of these former English labels. */
    const noEnglish = async (words: string[]) => {
      const text = await page.locator("main").innerText();
      expect(words.filter((w) => text.includes(w))).toEqual([]);
    };

    await page.goto(`${env.baseUrl}/energy/anomaly?detector=${detector.id}`);
    await page.getByRole("heading", { name: "异常检测" }).waitFor();
    await page.getByText("拟合检测器", { exact: true }).waitFor();
    expect(await page.getByTestId("anomaly-detect-summary").textContent()).toContain(
      `在 ${assetName} 上运行“中文检测器”：流式检测器，异常分数达到 ${DEFAULT_STREAMING.threshold} 时告警`,
    );
    expect(await page.title()).toBe("异常检测 · VoltLab");
    await noEnglish(["Fit a detector", "Run a detection", "Detectors", "Detections", "Asset", "Threshold", "None yet"]);
    await page.getByTestId("anomaly-fit-kind").getByText("预测残差的分位数").click();
    await page.getByText(/至少为 0\.5：分数是与预测的距离/).waitFor();
    await page.getByTestId("anomaly-fit-high").fill("0.2");
    await page.getByTestId("anomaly-fit-form").getByRole("button", { name: "拟合检测器" }).click();
    await page.getByText(/上分位数低于 0\.5 会使阈值低于典型的预测误差/).waitFor();
    await noEnglish(["High quantile", "Model version", "Merge gap", "Score ="]);
    await screenshot(page, "zh-anomaly-1-index");

    await page.goto(`${env.baseUrl}/energy/anomaly/detections/${det.id}`);
    await page.locator('[data-testid="anomaly-detection-status"][data-status="SUCCEEDED"]').waitFor();
    await page.getByRole("heading", { name: `检测 #${det.id}` }).waitFor();
    await page.getByText("告警原因").waitFor();
    const svgText = (await page.getByTestId("anomaly-streaming-chart").locator("svg text").allTextContents()).join("|");
    expect(svgText).toContain("学习期（只学习，不告警）");
    expect(svgText).toContain(`阈值 ${DEFAULT_STREAMING.threshold}`);
    expect(await page.getByTestId("anomaly-event-reason").first().textContent()).toMatch(
      new RegExp(`^分数 \\d\\.\\d{3} ≥ 阈值 ${DEFAULT_STREAMING.threshold}：`),
    );
    // The job log keeps English lines (logs stay English); the rest of the page is Chinese.
    await page
      .getByTestId("job-log")
      .evaluate((el) => el.remove())
      .catch(() => {});
    await noEnglish([
      "Detection run",
      "Points",
      "Alerts",
      "Events CSV",
      "Why it fired",
      "Alert at",
      "probation",
      "threshold",
    ]);
    await screenshot(page, "zh-anomaly-2-detection");

    await page.goto(`${env.baseUrl}/energy/anomaly/live?detector=${detector.id}`);
    await page.getByRole("heading", { name: "实时异常检测" }).waitFor();
    await page.locator('[data-testid="anomaly-live-status"]', { hasText: "监听中" }).waitFor({ timeout: 30_000 });
    await page.getByText("回放资产的 100 个点").waitFor();
    await noEnglish(["On screen", "Last point", "Replay", "listening", "No flagged point", "API reference"]);
    await screenshot(page, "zh-anomaly-3-live");

    // A detector that is not the user's: the server's NOT_FOUND reaches the page in Chinese.
    await page.goto(`${env.baseUrl}/energy/anomaly/live?detector=999999999`);
    await page.getByText("未找到检测器").waitFor();
    await context.close();
  }, 240_000);
});
