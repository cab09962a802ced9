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
    { name, datasetId, split: "case_a", target: "pcl", features: ["kong_slope", "kong_intercept", "tavg_c"], algorithms: ["baseline", "bilstm"], epochs: 4, window: 4 } as never,
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
  });

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
    await page.locator('[data-testid="task-status"][data-status="PARTLY_SUCCEEDED"]').waitFor({ timeout: 5000 }).catch(async (e) => {
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
    const cut = await page.locator('[data-testid="job-status"]').evaluateAll((els) =>
      els.filter((el) => [el, ...el.querySelectorAll("*")].some((e) => e.scrollWidth > e.clientWidth + 1)).map((el) => el.textContent),
    );
    expect(cut).toEqual([]);
    await screenshot(page, "product-3-task-list");
  });

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
    await page.getByRole("link", { name: /Battery/ }).first().waitFor();
    await screenshot(page, "product-5-page-not-found");
  });
});
