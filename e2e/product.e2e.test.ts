/**
 * A new user's rough edges (#23), each in a real browser; every test here (like every browser
 * test) fails on a console error, an uncaught error or a failed request (e2e/helpers.ts).
 * - the account page in a non-UTC time zone hydrates without errors; revoking a key asks first;
 * - a task whose Baseline succeeded and whose BiLSTM was cancelled (after a confirmation) reads
 *   PARTLY SUCCEEDED on its page and in the list, badges not cut short;
 * - another user's task id and an unknown address answer 404 with a page that leads back.
 * No worker serves this file's training jobs (a job-name prefix): the test claims and completes
 * the Baseline job through the queue itself; the BiLSTM job waits until the user cancels it.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { startE2E, signedInContext, screenshot, expectProblems, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import { testPrefix } from "../jobs/testing.js";
import * as queue from "../jobs/queue.js";
import { BatteryDataset } from "../db/models/battery-dataset.js";
import { createTask, TRAIN_JOB } from "../server/services/training/tasks.js";
import { createSyntheticAsset } from "../server/testing/anomaly-fixtures.js";
import { startTestWorker, trainBaselineVersion } from "../server/testing/battery-fixtures.js";

let env: E2EEnv;
let user: TestUser;
let other: TestUser;
let context: BrowserContext;
let page: Page;
const prefix = testPrefix("e2e-product");

beforeAll(async () => {
  env = await startE2E();
  [user, other] = await Promise.all([createTestUser("e2e-product"), createTestUser("e2e-product-other")]);
  // A browser far from UTC: dates rendered by the server must still match the client's.
  context = await signedInContext(env, user, { timezoneId: "Asia/Shanghai" });
  page = await context.newPage();
});
afterAll(async () => {
  await context?.close();
  await env?.close();
  await closeDb();
});

async function taskWithBaselineDoneBilstmWaiting(userId: number, name: string) {
  const datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  const task = await createTask(
    userId,
    {
      name,
      datasetId,
      split: "case_a",
      target: "pcl",
      features: ["kong_slope", "kong_intercept", "tavg_c"],
      algorithms: ["baseline", "bilstm"],
      epochs: 4,
      window: 4,
    } as never,
    { jobNamePrefix: prefix },
  );
  const baseline = task.runs.find((r) => r.algorithm === "baseline")!;
  // Claimed and completed through the queue, as a worker would (its status events included).
  const [claimed] = await queue.fetch([`${prefix}${TRAIN_JOB}`], 1, "e2e-product-worker");
  expect(claimed?.id).toBe(baseline.jobId);
  expect(await queue.complete(claimed.id, "e2e-product-worker", { versionId: null })).toBe(true);
  return task.id;
}

describe("A new user's journeys", () => {
  it("account page in Asia/Shanghai: no hydration errors; revoking a key asks for confirmation", async () => {
    await page.goto(`${env.baseUrl}/account`);
    await page.getByTestId("api-key-name").fill("laptop");
    await page.getByTestId("api-key-create").click();
    await page.getByTestId("api-key-new").waitFor();
    const row = page.getByTestId("api-key-table").locator("tr", { hasText: "laptop" });
    await row.getByText("active").waitFor();

    await row.getByTestId("api-key-revoke").click();
    await page.getByRole("dialog").getByText("Scripts using this key stop working").waitFor();
    await screenshot(page, "product-1-revoke-confirm");
    await page.getByTestId("confirm-keep").click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await row.getByText("active").count()).toBe(1);

    await row.getByTestId("api-key-revoke").click();
    await page.getByTestId("confirm-ok").click();
    await row.getByText("revoked").waitFor();
    // The page is reloaded from the server in the same zone: the dates hydrate cleanly.
    await page.reload();
    await page.getByTestId("api-key-table").waitFor();
    expect(await page.getByText(/Member since \d{4}-\d\d-\d\d \d\d:\d\d UTC/).count()).toBe(1);
  }, 45_000);

  it("a task with Baseline done and BiLSTM cancelled (after confirming) reads PARTLY SUCCEEDED everywhere", async () => {
    const id = await taskWithBaselineDoneBilstmWaiting(user.id, `Partial ${Date.now()}`);
    await page.goto(`${env.baseUrl}/battery/tasks/${id}`);
    await page.locator('[data-testid="run-baseline"][data-status="SUCCEEDED"]').waitFor();
    await page.locator('[data-testid="task-status"][data-status="PENDING"]').waitFor();

    await page.getByTestId("cancel-bilstm").click();
    await page.getByRole("dialog").getByText("the other algorithms of this task go on").waitFor();
    await page.getByTestId("confirm-keep").click();
    await page.getByRole("dialog").waitFor({ state: "hidden" });
    expect(await page.getByTestId("run-bilstm").getAttribute("data-status")).toBe("PENDING");

    await page.getByTestId("cancel-bilstm").click();
    await page.getByTestId("confirm-ok").click();
    await page.locator('[data-testid="run-bilstm"][data-status="CANCELED"]').waitFor();
    const overall = page.getByTestId("task-status");
    await page
      .locator('[data-testid="task-status"][data-status="PARTLY_SUCCEEDED"]')
      .waitFor({ timeout: 5000 })
      .catch(async (e) => {
        await screenshot(page, "product-debug");
        throw new Error(`${e.message}: ${await overall.getAttribute("data-status")}`);
      });
    expect(await overall.textContent()).toBe("PARTLY SUCCEEDED");
    await screenshot(page, "product-2-partly-succeeded");

    await page.goto(`${env.baseUrl}/battery/tasks`);
    const badge = page.locator(`[data-testid="job-status"][data-status="PARTLY_SUCCEEDED"]`).first();
    await badge.waitFor();
    expect(await badge.textContent()).toBe("PARTLY SUCCEEDED");
    // Every status badge shows its whole word (none cut to "RUN…").
    const cut = await page
      .locator('[data-testid="job-status"]')
      .evaluateAll((els) =>
        els
          .filter((el) => [el, ...el.querySelectorAll("*")].some((e) => e.scrollWidth > e.clientWidth + 1))
          .map((el) => el.textContent),
      );
    expect(cut).toEqual([]);
    await screenshot(page, "product-3-task-list");
  }, 45_000);

  it("another user's task and an unknown address answer 404 with a way back", async () => {
    const foreign = await taskWithBaselineDoneBilstmWaiting(other.id, `Not yours ${Date.now()}`);
    expectProblems(/HTTP 404 .*\/battery\/tasks\/\d+/, /HTTP 404 .*\/no-such-page/, /console error .*404/);
    const res = await page.goto(`${env.baseUrl}/battery/tasks/${foreign}`);
    expect(res?.status()).toBe(404);
    await page.getByTestId("not-found").getByText("Training task not found").waitFor();
    expect(await page.getByText("Not yours").count()).toBe(0);
    await screenshot(page, "product-4-task-not-found");
    await page.getByTestId("not-found-back").click();
    await page.waitForURL(/\/battery\/tasks$/);

    const missing = await page.goto(`${env.baseUrl}/no-such-page`);
    expect(missing?.status()).toBe(404);
    await page.getByTestId("not-found").getByText("Page not found").waitFor();
    // The app's navigation is still there.
    await page
      .getByRole("link", { name: /Battery/ })
      .first()
      .waitFor();
    await screenshot(page, "product-5-page-not-found");
  }, 30_000);

  it("analysis at 124 cells: all in a compact picker, '42' finds cell 42 only, chosen trend cells, a heatmap of numbers", async () => {
    await page.goto(`${env.baseUrl}/battery/analysis`);
    await page.getByTestId("pick-hint").waitFor();
    await page.getByTestId("preset-all").click();
    await page.getByTestId("cells-picked").getByText("124 of 124 cells picked").waitFor();
    // The 124 chips stay in a small scrolling box, not a 1,000-px block.
    const pickerHeight = await page
      .getByTestId("cell-select")
      .evaluate((el) => el.closest(".mantine-MultiSelect-root")!.getBoundingClientRect().height);
    expect(pickerHeight).toBeLessThan(160);

    // The trend chart draws the first 12; the user picks which cells instead.
    const line = page.getByTestId("chart-line");
    await line.locator("path.recharts-line-curve").nth(11).waitFor({ timeout: 30_000 });
    expect(await page.getByTestId("trend-cells").locator("..").locator(".mantine-Pill-root").count()).toBe(12);
    await page.getByTestId("trend-cells").locator("..").locator(".mantine-Pill-root button").first().waitFor();
    for (let i = 0; i < 11; i++)
      await page.getByTestId("trend-cells").locator("..").locator(".mantine-Pill-root button").last().click();
    await page.getByTestId("trend-cells").click();
    await page.keyboard.type("Cell 42");
    await page.getByRole("option", { name: "Cell 42", exact: true }).click();
    await page.keyboard.press("Escape");
    await line.getByText("cell 42").first().waitFor();
    await expect.poll(() => line.locator("path.recharts-line-curve").count()).toBe(2);
    // One legend entry per drawn line.
    expect(await line.locator('[class*="legendItemName"]').count()).toBe(2);

    // Searching "42" in the picker finds cell ids starting with 42, not cells with 42 cycles.
    await page.getByTestId("cells-none").click();
    await page.getByTestId("cell-select").click();
    await page.keyboard.type("42");
    const options = await page.getByRole("option").allTextContents();
    expect(options.length).toBeGreaterThan(0);
    expect(options.every((o) => o.startsWith("Cell 42"))).toBe(true);
    await page.keyboard.press("Escape");

    // The heatmap for all cells shows numbers, not mostly "–".
    await page.getByTestId("preset-all").click();
    const heat = page.getByTestId("chart-heatmap");
    await heat.locator("[data-testid=heatmap-cell]").first().waitFor({ timeout: 30_000 });
    const texts = await heat.locator("svg text").allTextContents();
    const dashes = texts.filter((t) => t === "–").length;
    const cells = await heat.locator("[data-testid=heatmap-cell]").count();
    expect(dashes).toBeLessThan(cells / 4);
    // The scatter is titled and fitted to the bulk of the data (Kong slope ≈ 0.008–0.011; a few cells reach −4.8 and 2.0).
    const scatter = page.getByTestId("chart-scatter");
    await scatter.locator(".recharts-scatter-symbol").first().waitFor({ timeout: 30_000 });
    expect(await scatter.getByText("RUL (cycles)").count()).toBeGreaterThan(0);
    expect(await scatter.locator("svg text", { hasText: "Kong slope" }).count()).toBe(1);
    const [lo, hi] = (await scatter.getAttribute("data-x-domain"))!.split(",").map(Number);
    expect(hi - lo).toBeLessThan(0.1);
    await screenshot(page, "product-6-analysis-all-cells");
  }, 150_000);

  it("the live anomaly page says what to do when empty and replays the asset in the app; the API reference is linked", async () => {
    const assetId = await createSyntheticAsset(user);
    const detector = await user.caller.anomaly.fitStreaming({ assetId });
    await page.goto(`${env.baseUrl}/energy/anomaly/live?detector=${detector.id}`);
    await page.getByTestId("anomaly-live-empty").waitFor();
    await page.getByTestId("anomaly-live-status").getByText("listening").waitFor();
    await screenshot(page, "product-7-live-empty");
    await page.getByTestId("anomaly-live-replay").click();
    await page.getByTestId("anomaly-live-replayed").getByText("100 points posted").waitFor({ timeout: 60_000 });
    // The points came back through the live subscription, as a script's would.
    await expect
      .poll(async () => Number(await page.getByTestId("anomaly-live-arrived").textContent()), { timeout: 15_000 })
      .toBe(100);
    expect(await page.getByTestId("anomaly-live-empty").count()).toBe(0);
    await screenshot(page, "product-8-live-replayed");

    expect(await page.getByTestId("nav-docs").getAttribute("href")).toBe("/docs");
  }, 90_000);

  it("model library: per-user version numbers, All filters, rename error in the modal, labelled delete that asks, test this version", async () => {
    const fresh = await createTestUser("e2e-product-lib");
    const w = startTestWorker("e2e-product-lib");
    const versionId = await trainBaselineVersion(fresh.id, w).finally(() => w.stop());
    const ctx = await signedInContext(env, fresh);
    const lib = await ctx.newPage();
    await lib.goto(`${env.baseUrl}/battery/models`);
    const row = lib.getByTestId("model-row").first();
    await row.waitFor();
    // The user's first version is v1, whatever its global id.
    expect(await row.getByTestId("model-number").textContent()).toBe("v1");
    expect(await lib.getByTestId("filter-algorithm").inputValue()).toBe("All algorithms");
    expect(await lib.getByTestId("filter-target").inputValue()).toBe("All targets");

    await row.getByTestId("rename-model").click();
    await lib.getByTestId("rename-input").fill("   ");
    await lib.getByTestId("rename-save").click();
    await lib.getByRole("dialog").getByText("Give the model a name").waitFor();
    await screenshot(lib, "product-9-rename-error");
    await lib.keyboard.press("Escape");

    await row.getByTestId("delete-model").click();
    expect(await row.getByTestId("delete-model").textContent()).toBe("Delete");
    await lib.getByRole("dialog").getByText("This cannot be undone").waitFor();
    await lib.getByRole("button", { name: "Keep" }).click();
    await lib.getByRole("dialog").waitFor({ state: "hidden" });

    await row.getByTestId("test-model").click();
    await lib.waitForURL(new RegExp(`/battery/tests\\?version=${versionId}$`));
    // Preselected, and named by the user's own number (v1), as in the library.
    await expect.poll(() => lib.getByTestId("field-version").inputValue()).toMatch(/^v1 /);
    await ctx.close();
  }, 90_000);
});
