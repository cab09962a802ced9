/**
 * The Energy Lab in Chinese (#24): a browser that asks for zh-CN gets the assets list, a built-in
 * asset, an upload (a refused file, then a stored one with its report), the models page and a
 * forecast (with a refused history file) in Chinese: Chinese labels, page titles, server
 * refusals and statuses, and none of the former English labels in the page's main content.
 * Deleting a version asks first (#23 item 2): keeping it leaves the version listed.
 * Screenshots: e2e/screenshots/zh-energy-*.png.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { Page } from "playwright-core";
import { startE2E, screenshot, expectProblems, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb, db } from "../db/db.js";
import { seedEnergy } from "../seeds/energy.js";
import { BUILTIN_STEEL_NAME } from "../server/services/energy/types.js";
import { createSyntheticAsset, syntheticCsv, trainReadyVersion } from "../server/testing/anomaly-fixtures.js";
import { EnergyModelVersion } from "../db/models/energy-model-version.js";
import { SESSION_COOKIE } from "../server/auth/token.js";

let env: E2EEnv;
let user: TestUser;
let assetId: number;
let versionId: number;
beforeAll(async () => {
  await seedEnergy(db());
  user = await createTestUser("e2e-energy-zh");
  env = await startE2E();
  assetId = await createSyntheticAsset(user, 600);
  const v = await trainReadyVersion(user.id, assetId, { lookback: 16, horizon: 4, epochs: 5 });
  versionId = v.id;
  // Held-out scores worse than seasonal naive: the pages must say so.
  const scores = { mae: 1.5, rmse: 2, smape: 0.1, coverage: 0.8 };
  await EnergyModelVersion.query()
    .patch({ metrics: { ...scores, mase: 1.25, baseline: { ...scores, mase: 0.9 } } })
    .where({ id: v.id });
}, 120_000);
afterAll(async () => {
  await env?.close();
  await closeDb();
});

/** The page's main content (navigation and header excluded). */
const main = (page: Page) => page.locator("main").innerText();

/** None of these English words or labels is left in the main content. */
async function noEnglish(page: Page, words: string[]) {
  const text = await main(page);
  expect(words.filter((w) => text.includes(w))).toEqual([]);
}

describe("the Energy Lab in Chinese", () => {
  it("assets, a built-in asset, an upload, the models page and a forecast speak Chinese", async () => {
    const context = await env.browser.newContext({ locale: "zh-CN", viewport: { width: 1400, height: 900 } });
    const url = new URL(env.baseUrl);
    await context.addCookies([
      { name: SESSION_COOKIE, value: user.token, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
    ]);
    const page = await context.newPage();

    await page.goto(`${env.baseUrl}/energy`);
    await page.getByTestId("energy-asset-table").waitFor();
    expect(await page.getByTestId("energy-title").textContent()).toBe("能源实验室：资产");
    expect(await page.title()).toBe("能源实验室 · VoltLab");
    await page.getByText("内置 · 只读").first().waitFor();
    await noEnglish(page, [
      "Upload a series",
      "built-in",
      "read-only",
      "Frequency",
      "Points",
      "New empty asset",
      "Create",
    ]);
    await screenshot(page, "zh-energy-1-assets");

    await page.getByRole("link", { name: BUILTIN_STEEL_NAME }).click();
    await page.getByTestId("energy-asset-title").waitFor();
    expect(await page.getByTestId("energy-asset-description").textContent()).toContain("大宇钢铁");
    await page.getByTestId("energy-evaluation-table").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("energy-evaluation-table").textContent()).toContain("季节性朴素预测");
    await page.getByText("均值 ± 标准差").waitFor();
    await page.getByTestId("energy-range").getByText("1 周").waitFor();
    await noEnglish(page, [
      "Target",
      "covariates",
      "Mean ± std",
      "points drawn",
      "Forecast evaluation",
      "Interval width",
      "held out",
      "Drag the ends",
      "numeric",
    ]);
    await screenshot(page, "zh-energy-2-steel-asset");

    // Upload: a file with no data rows is refused in Chinese; a good one is stored with a Chinese report.
    await page.goto(`${env.baseUrl}/energy/upload`);
    const drop = page.locator('[data-testid="energy-dropzone"] input[type="file"]');
    await drop.setInputFiles({ name: "empty.csv", mimeType: "text/csv", buffer: Buffer.from("time,kwh\n") });
    expect(await page.getByTestId("energy-file-error").textContent()).toBe("文件只有表头，没有数据行");
    await drop.setInputFiles({
      name: "recent.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(syntheticCsv(300)),
    });
    await page.getByTestId("energy-columns").waitFor();
    await page.getByText("列映射与选项").waitFor();
    await page.getByTestId("energy-new-asset-name").fill(`zh upload ${Date.now()}`);
    await page.getByTestId("energy-commit").click();
    await page.getByTestId("energy-upload-ok").waitFor();
    const report = (await page.getByTestId("energy-upload-report").textContent()) ?? "";
    expect(report).toContain("上传已存储");
    expect(report).toContain("15 分钟");
    await noEnglish(page, [
      "Upload a series",
      "Columns",
      "Mapping",
      "Timestamp column",
      "Upload stored",
      "Points",
      "min",
    ]);
    await screenshot(page, "zh-energy-3-upload");

    // Models: the form, the comparison, the versions with their status, the naive warning.
    await page.goto(`${env.baseUrl}/energy/models?asset=${assetId}`);
    await page.getByTestId("energy-version-row").first().waitFor();
    expect(await page.title()).toBe("能源模型 · VoltLab");
    await page.getByText("回看窗口 L（步）").waitFor();
    expect(await page.getByTestId("comparison-baseline").textContent()).toContain("季节性朴素预测");
    expect(await page.getByTestId("energy-versions").getByTestId("job-status").textContent()).toBe("成功");
    expect(await page.getByTestId("energy-versions").getByTestId("naive-warning-badge").textContent()).toBe(
      "不如朴素预测",
    );
    await noEnglish(page, [
      "Energy models",
      "Lookback",
      "Horizon",
      "Learning rate",
      "Train",
      "Comparison",
      "Versions",
      "Delete",
      "SUCCEEDED",
      "worse than naive",
    ]);
    // Deleting asks first; keeping the version leaves it there.
    await page.getByTestId("energy-version-delete").first().click();
    await page.getByTestId("confirm-modal").getByText(`删除版本 #${versionId}？`).waitFor();
    await screenshot(page, "zh-energy-4-models-delete-asks");
    await page.getByTestId("confirm-keep").click();
    await page.getByTestId("confirm-modal").waitFor({ state: "hidden" });
    expect(await page.getByTestId("energy-version-row").count()).toBe(1);
    expect(await EnergyModelVersion.query().findById(versionId)).toBeDefined();

    // Forecast: Chinese legend, table and warning; a file without the target is refused in Chinese.
    await page.goto(`${env.baseUrl}/energy/forecast?version=${versionId}`);
    await page.getByTestId("forecast-chart").waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe("能源预测 · VoltLab");
    expect(await page.getByTestId("naive-warning").textContent()).toContain("此预测模型不如季节性朴素预测");
    await page.locator(".recharts-legend-wrapper").getByText("中位数预测").waitFor();
    await page.locator(".recharts-legend-wrapper").getByText("10–90 % 预测区间").waitFor();
    await noEnglish(page, [
      "Energy forecast",
      "Model version",
      "Download CSV",
      "median",
      "history",
      "band",
      "Time (UTC)",
    ]);
    await screenshot(page, "zh-energy-5-forecast");
    expectProblems(/HTTP 400 .*energyModels\.forecastFromFile/, /console error .*status of 400/);
    await page.getByTestId("forecast-source").getByText("上传的文件").click();
    await page.locator('input[type="file"]').setInputFiles({
      name: "wrong.csv",
      mimeType: "text/csv",
      buffer: Buffer.from(["time,power", ...syntheticCsv(100).trim().split("\n").slice(1)].join("\n")),
    });
    const refused = page.getByTestId("forecast-error");
    await refused.waitFor({ timeout: 30_000 });
    expect(await refused.textContent()).toContain('文件中没有 "kwh" 列');
    await noEnglish(page, ["The file has no column", "Upload a CSV", "History file"]);
    await screenshot(page, "zh-energy-6-forecast-file-refused");
    await context.close();
  }, 120_000);
});
