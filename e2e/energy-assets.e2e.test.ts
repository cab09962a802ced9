import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb, db } from "../db/db.js";
import { seedEnergy } from "../seeds/energy.js";
import { BUILTIN_NAB_NAME, BUILTIN_STEEL_NAME } from "../server/services/energy/types.js";

let env: E2EEnv;
let user: TestUser;
beforeAll(async () => {
  await seedEnergy(db());
  user = await createTestUser("e2e-energy");
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("Energy Lab in a real browser", () => {
  it("lists the built-in assets and draws the Steel series, then the NAB series with its anomaly windows", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error") errors.push(m.text());
    });
    await page.goto(`${env.baseUrl}/energy`);
    await page.getByTestId("energy-asset-table").waitFor();
    expect(await page.getByTestId("builtin-badge").count()).toBeGreaterThanOrEqual(2);
    await screenshot(page, "energy-1-assets");

    await page.getByRole("link", { name: BUILTIN_STEEL_NAME }).click();
    await page.getByTestId("energy-asset-title").waitFor();
    // The chart's line is an SVG path with a drawn shape.
    const line = page.locator('[data-testid="energy-series-chart"] svg path.recharts-curve');
    await line
      .first()
      .waitFor({ timeout: 15_000 })
      .catch(async (e) => {
        await screenshot(page, "energy-debug");
        throw new Error(`${e.message}\n${errors.join("\n")}`);
      });
    expect((await line.first().getAttribute("d"))?.length ?? 0).toBeGreaterThan(1000);
    await page.getByTestId("energy-evaluation-table").waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("energy-evaluation-table").textContent()).toContain("seasonal naive");
    await screenshot(page, "energy-2-steel-asset");

    // Zoom to one week: the chart is redrawn.
    await page.getByTestId("energy-range").getByText("1 week").click();
    await page.getByText(/672 of 672 points drawn/).waitFor();
    // A week's axis names days and hours (no date repeated without its hour).
    const ticks = await page
      .locator('[data-testid="energy-series-chart"] .recharts-xAxis .recharts-cartesian-axis-tick-value')
      .allTextContents();
    expect(ticks.length).toBeGreaterThan(3);
    expect(ticks.every((x) => /^\d\d-\d\d \d\d:\d\d$/.test(x))).toBe(true);
    expect(new Set(ticks).size).toBe(ticks.length);
    await screenshot(page, "energy-3-steel-one-week");

    // The whole series can be zoomed and panned: drag the brush's left end to the middle.
    await page.getByTestId("energy-range").getByText("All").click();
    const brush = page.locator('[data-testid="energy-series-chart"] .recharts-brush');
    await brush.waitFor();
    const before = await page
      .locator('[data-testid="energy-series-chart"] .recharts-xAxis .recharts-cartesian-axis-tick-value')
      .first()
      .textContent();
    const box = (await brush.locator(".recharts-brush-traveller").first().boundingBox())!;
    const width = (await brush.boundingBox())!.width;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + width * 0.9, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();
    await expect
      .poll(() =>
        page
          .locator('[data-testid="energy-series-chart"] .recharts-xAxis .recharts-cartesian-axis-tick-value')
          .first()
          .textContent(),
      )
      .not.toBe(before);

    await page.goto(`${env.baseUrl}/energy`);
    await page.getByRole("link", { name: BUILTIN_NAB_NAME }).click();
    await page.locator('[data-testid="energy-series-chart"] svg path.recharts-curve').first().waitFor();
    // Four shaded anomaly windows.
    expect(await page.locator('[data-testid="energy-series-chart"] .recharts-reference-area').count()).toBe(4);
    await screenshot(page, "energy-4-nab-windows");
    await context.close();
  });

  it("uploads a CSV: mapping, report, and the stored series charted right away", async () => {
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/energy/upload`);
    await page.getByTestId("quota-uploads").waitFor();
    expect(await page.getByTestId("quota-uploads").textContent()).toMatch(
      /Your uploads: \d+ of 200; storage [\d.]+ of 2048 MB/,
    );
    const rows = Array.from(
      { length: 300 },
      (_, i) =>
        `${new Date(Date.UTC(2024, 0, 1) + i * 900_000).toISOString()},${(10 + 5 * Math.sin(i / 8)).toFixed(3)}`,
    );
    rows.splice(100, 2); // a 2-step gap
    rows.push(rows[10]); // a duplicated timestamp
    const csv = ["timestamp,load_kw", ...rows].join("\n");
    await page
      .locator('[data-testid="energy-dropzone"] input[type="file"]')
      .setInputFiles({ name: "load.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByTestId("energy-columns").waitFor();
    await page.getByTestId("energy-new-asset-name").fill(`e2e upload ${Date.now()}`);
    await page.getByTestId("energy-commit").click();
    await page.getByTestId("energy-upload-ok").waitFor();
    const report = await page.getByTestId("energy-upload-report").textContent();
    expect(report).toContain("15 min");
    expect(report).toContain("1 (2)"); // one gap, two missing steps
    await page.locator('[data-testid="energy-series-chart"] svg path.recharts-curve').first().waitFor();
    await screenshot(page, "energy-5-upload-report");
    await context.close();
  });
});
