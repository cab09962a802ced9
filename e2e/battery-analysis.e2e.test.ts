import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";

let env: E2EEnv;
let user: TestUser;
beforeAll(async () => {
  env = await startE2E();
  user = await createTestUser("e2e-battery");
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("Battery Lab in a real browser", () => {
  it("picks cells on the analysis page and draws the line, scatter, histogram and heatmap charts", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/battery`);
    await page.getByTestId("cell-table").locator("tbody tr").nth(123).waitFor();
    expect(await page.getByTestId("cell-table").locator("tbody tr").count()).toBe(124);
    await screenshot(page, "battery-1-landing");

    await page.getByTestId("open-analysis").click();
    await page.waitForURL(/\/battery\/analysis/);
    await page.getByTestId("pick-hint").waitFor();
    // A preset (Wen Case A: cells 91, 100, 124), then one more cell picked by searching its id.
    await page.getByTestId("preset-case_a").click();
    await page.getByTestId("cell-select").click();
    await page.keyboard.type("Cell 42 ");
    await page.getByRole("option", { name: /^Cell 42 · primary_train/ }).click();
    await page.keyboard.press("Escape");

    const line = page.getByTestId("chart-line");
    const scatter = page.getByTestId("chart-scatter");
    const hist = page.getByTestId("chart-histogram");
    const heat = page.getByTestId("chart-heatmap");
    for (const c of [line, scatter, hist, heat]) await c.waitFor({ timeout: 30_000 });

    // Four lines (one per cell), each a drawn SVG path.
    await line.locator("path.recharts-curve.recharts-line-curve").nth(3).waitFor();
    const linePaths = await line
      .locator("path.recharts-line-curve")
      .evaluateAll((ps) => ps.map((p) => (p.getAttribute("d") ?? "").length));
    expect(linePaths.length).toBe(4);
    expect(Math.min(...linePaths)).toBeGreaterThan(100);
    // Scatter: point symbols for every cell.
    expect(await scatter.locator(".recharts-scatter-symbol").count()).toBeGreaterThan(100);
    // Histogram: bars with height.
    await hist.locator(".recharts-bar-rectangle path").first().waitFor();
    expect(await hist.locator(".recharts-bar-rectangle path").count()).toBeGreaterThan(5);
    // Heatmap: a 14 × 14 grid (12 stored features + RUL + PCL) of coloured cells.
    expect(await heat.locator("[data-testid=heatmap-cell]").count()).toBe(196);
    expect(await page.getByTestId("stats-table").locator("tbody tr").count()).toBe(14);
    expect(await page.getByTestId("rate-table").locator("tbody tr").count()).toBe(4);
    await screenshot(page, "battery-2-analysis");

    // Hovering the trend chart lists every drawn cell at that cycle, not just the one whose
    // downsampled point happens to fall there.
    await line.scrollIntoViewIfNeeded();
    const grid = line.locator(".recharts-cartesian-grid");
    const box = (await grid.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.15, box.y + box.height / 2);
    const tip = line.getByTestId("trend-tooltip");
    await tip.waitFor();
    const rows = tip.getByTestId("trend-tooltip-row");
    expect(await rows.count()).toBe(4);
    const tipText = await tip.innerText();
    for (const cell of ["42", "91", "100", "124"]) expect(tipText).toContain(`cell ${cell}`);
    // Early in life every one of the four cells has a value (a number, not "no value here").
    expect(tipText).not.toContain("no value here");
    expect((await rows.allInnerTexts()).every((r) => /\d\.\d+|\d/.test(r.split("\n").pop()!))).toBe(true);
    expect(await tip.innerText()).toMatch(/^Cycle \d+/);
    await screenshot(page, "battery-2b-trend-tooltip");
    await context.close();
  });

  it("rejects a bad upload with its reasons, stores a good one and deletes it", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/battery/uploads`);
    await page.getByTestId("upload-limits").waitFor();
    await page.getByTestId("quota-uploads").waitFor();
    expect(await page.getByTestId("quota-uploads").textContent()).toMatch(
      /Your uploads: \d+ of 200; storage [\d.]+ of 2048 MB/,
    );
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "e2e-battery-"));
    const badFile = path.join(dir, "bad.csv");
    fs.writeFileSync(badFile, "cell_id,cycle,temp,pcl\nA,1,30,0.1\nA,1,hot,0.2\n");
    await page.locator("input[type=file]").setInputFiles(badFile);
    const problems = page.getByTestId("upload-problems");
    await problems.waitFor();
    const text = await problems.textContent();
    expect(text).toContain('Not a finite number: "hot"');
    expect(text).toContain("Duplicate (cell A, cycle 1)");
    await screenshot(page, "battery-3-upload-rejected");

    const goodFile = path.join(dir, "good.csv");
    fs.writeFileSync(
      goodFile,
      [
        "cell_id,cycle,temp,pcl,rul",
        ...Array.from({ length: 30 }, (_, i) => `G,${i + 1},${30 + i / 10},${i / 200},${29 - i}`),
      ].join("\n"),
    );
    await page.locator("input[type=file]").setInputFiles(goodFile);
    await page.getByTestId("upload-ok").waitFor();
    const row = page.getByTestId("upload-list").locator("tbody tr", { hasText: "good.csv" });
    await row.waitFor();
    expect(await page.getByTestId("upload-list").locator("tbody tr", { hasText: "bad.csv" }).count()).toBe(0);
    await screenshot(page, "battery-4-upload-stored");
    await row.locator("button", { hasText: "Delete" }).click();
    await row.waitFor({ state: "detached" });
    expect(await user.caller.battery.listUploads()).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
    await context.close();
  });
});
