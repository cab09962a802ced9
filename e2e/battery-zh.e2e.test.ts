/**
 * The Battery Lab's data pages in a Chinese browser: the dataset page, the analysis page (charts,
 * tables, the trend tooltip) and the uploads page (a rejected file's problems) speak Chinese, with
 * none of their former English labels left in the page's content.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { startE2E, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { SESSION_COOKIE } from "../server/auth/token.js";
import { closeDb } from "../db/db.js";

let env: E2EEnv;
let user: TestUser;
beforeAll(async () => {
  env = await startE2E();
  user = await createTestUser("e2e-battery-zh");
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

/** A signed-in browser whose language is Chinese (Accept-Language zh-CN; the user stored none). */
async function chineseContext(): Promise<BrowserContext> {
  const context = await env.browser.newContext({ locale: "zh-CN", viewport: { width: 1400, height: 900 } });
  const url = new URL(env.baseUrl);
  await context.addCookies([
    { name: SESSION_COOKIE, value: user.token, domain: url.hostname, path: "/", httpOnly: true, sameSite: "Lax" },
  ]);
  return context;
}

const mainText = (page: Page) => page.locator("main").innerText();

/** Former English labels of these pages: none may remain. */
function expectNoEnglish(text: string, words: string[]) {
  for (const w of words) expect(text, `"${w}" left in English`).not.toContain(w);
}

describe("Battery Lab data pages in Chinese", () => {
  it("dataset, analysis and uploads pages speak Chinese", async () => {
    const context = await chineseContext();
    const page = await context.newPage();

    await page.goto(`${env.baseUrl}/battery`);
    await page.getByTestId("cell-table").locator("tbody tr").nth(123).waitFor();
    await page.getByTestId("feature-coverage").waitFor();
    expect(await page.title()).toBe("电池实验室 · VoltLab");
    let text = await mainText(page);
    for (const zh of ["数据与分析", "循环寿命", "特征覆盖范围", "被标记的原始值（71）", "内阻"])
      expect(text).toContain(zh);
    expectNoEnglish(text, ["Cycle life", "Feature coverage", "Flagged raw values", "Internal resistance", "Filter by"]);
    await screenshot(page, "zh-battery-1-datasets");

    await page.goto(`${env.baseUrl}/battery/analysis`);
    await page.getByTestId("pick-hint").waitFor();
    expect(await page.getByTestId("pick-hint").innerText()).toContain("选择电池");
    await page.getByTestId("preset-case_a").click();
    expect(await page.getByTestId("preset-case_a").innerText()).toBe("Wen 案例 A (3)");
    const line = page.getByTestId("chart-line");
    await line.locator("path.recharts-line-curve").nth(2).waitFor({ timeout: 30_000 });
    await page.getByTestId("stats-table").waitFor();
    await page.getByTestId("chart-heatmap").waitFor();
    text = await mainText(page);
    for (const zh of [
      "电池数据分析",
      "随循环的变化趋势",
      "相关矩阵",
      "统计量（全部数据）",
      "中位数",
      "已选 3 / 124 节电池",
    ])
      expect(text).toContain(zh);
    expectNoEnglish(text, [
      "Trend over cycles",
      "Correlation matrix",
      "Statistics",
      "Distribution",
      "cells picked",
      "Variable",
      "Median",
      "Showing",
      "points drawn",
      "Mean temperature",
    ]);
    // The trend tooltip: every drawn cell, in Chinese.
    await line.scrollIntoViewIfNeeded();
    const grid = (await line.locator(".recharts-cartesian-grid").boundingBox())!;
    await page.mouse.move(grid.x + grid.width * 0.15, grid.y + grid.height / 2);
    const tip = line.getByTestId("trend-tooltip");
    await tip.waitFor();
    expect(await tip.innerText()).toMatch(/^第 \d+ 次循环/);
    expect(await tip.getByTestId("trend-tooltip-row").count()).toBe(3);
    await screenshot(page, "zh-battery-2-analysis");

    await page.goto(`${env.baseUrl}/battery/uploads`);
    await page.getByTestId("upload-limits").waitFor();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-battery-zh-"));
    const bad = path.join(dir, "bad.csv");
    fs.writeFileSync(bad, "cell_id,cycle,temp,pcl\nA,1,30,0.1\nA,1,hot,0.2\n");
    await page.locator("input[type=file]").setInputFiles(bad);
    const problems = page.getByTestId("upload-problems");
    await problems.waitFor();
    const p = await problems.innerText();
    expect(p).toContain("bad.csv 被拒绝：未存储任何内容");
    expect(p).toContain("不是有限数值：“hot”");
    expect(p).toContain("重复（电池 A，第 1 次循环）：第 2 行也有");
    text = await mainText(page);
    expect(text).toContain("限制：20 MB，500,000 行，2,000 节电池，50 个特征列。");
    expectNoEnglish(text, [
      "Not a finite number",
      "Duplicate",
      "was rejected",
      "Limits:",
      "Your uploads",
      "Nominal capacity",
      "Drop a",
      "No uploads yet",
    ]);
    await screenshot(page, "zh-battery-3-upload-rejected");
    fs.rmSync(dir, { recursive: true, force: true });
    await context.close();
  });
});
