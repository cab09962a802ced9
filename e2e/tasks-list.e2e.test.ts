/**
 * #27 row 8: the training tasks list (/battery/tasks). It lists the user's own tasks, each
 * linking to its page with the task's status and each run's, never another user's task, and it
 * follows a status change without a reload (the list refreshes itself). Tasks are queued under
 * the file's own job-name prefix (no worker runs them); a run is claimed and completed through
 * the queue as a worker would. Selected by data-testid, links and data-status (text is translated).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page } from "playwright-core";
import { closeDb } from "../db/db.js";
import { BatteryDataset } from "../db/models/battery-dataset.js";
import * as queue from "../jobs/queue.js";
import { testPrefix } from "../jobs/testing.js";
import { createTask, TRAIN_JOB } from "../server/services/training/tasks.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";

let env: E2EEnv;
let user: TestUser;
let other: TestUser;
let context: BrowserContext;
let page: Page;
const prefix = testPrefix("e2e-tasks-list");

async function queueTask(userId: number, name: string, algorithms: ("baseline" | "bilstm")[]) {
  const datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  return createTask(
    userId,
    {
      name,
      datasetId,
      split: "case_a",
      target: "pcl",
      features: ["kong_slope", "kong_intercept", "tavg_c"],
      algorithms,
      epochs: 4,
      window: 4,
    } as never,
    { jobNamePrefix: prefix },
  );
}

beforeAll(async () => {
  env = await startE2E();
  [user, other] = await Promise.all([createTestUser("e2e-tasks-list"), createTestUser("e2e-tasks-list-other")]);
  context = await signedInContext(env, user);
  page = await context.newPage();
}, 60_000);
afterAll(async () => {
  await context?.close();
  await env?.close();
  await closeDb();
});

const rowOf = (taskId: number) =>
  page.getByTestId("task-table").locator("tr", { has: page.locator(`a[href="/battery/tasks/${taskId}"]`) });
const statuses = async (taskId: number) =>
  rowOf(taskId)
    .getByTestId("job-status")
    .evaluateAll((els) => els.map((e) => e.getAttribute("data-status")));

describe("training tasks list", () => {
  it("lists the user's tasks with their and their runs' status, follows a change, opens a task; no other user's task", async () => {
    const done = await queueTask(user.id, `Finished ${Date.now()}`, ["baseline"]);
    const waiting = await queueTask(user.id, `Waiting ${Date.now()}`, ["baseline", "bilstm"]);
    const foreign = await queueTask(other.id, `Not yours ${Date.now()}`, ["baseline"]);
    // The finished task's run: claimed and completed through the queue.
    const [claimed] = await queue.fetch([`${prefix}${TRAIN_JOB}`], 1, "e2e-tasks-list-worker");
    expect(claimed?.id).toBe(done.runs[0].jobId);
    expect(await queue.complete(claimed.id, "e2e-tasks-list-worker", { versionId: null })).toBe(true);

    await page.goto(`${env.baseUrl}/battery/tasks`);
    await rowOf(waiting.id).waitFor();
    // Task status first, then one badge per run.
    expect(await statuses(done.id)).toEqual(["SUCCEEDED", "SUCCEEDED"]);
    expect(await statuses(waiting.id)).toEqual(["PENDING", "PENDING", "PENDING"]);
    expect(await rowOf(done.id).textContent()).toContain(done.name);
    expect(await page.locator(`a[href="/battery/tasks/${foreign.id}"]`).count()).toBe(0);
    expect(await page.getByTestId("task-table").textContent()).not.toContain(foreign.name);
    await screenshot(page, "tasks-list-1");

    // Cancelled elsewhere (a script, another tab): the list shows it without a reload.
    for (const r of waiting.runs) await user.caller.jobs.cancel({ id: r.jobId! });
    await rowOf(waiting.id)
      .locator('[data-testid="job-status"][data-status="CANCELED"]')
      .first()
      .waitFor({ timeout: 15_000 });
    expect(await statuses(waiting.id)).toEqual(["CANCELED", "CANCELED", "CANCELED"]);

    await rowOf(done.id).locator(`a[href="/battery/tasks/${done.id}"]`).click();
    await page.waitForURL(`${env.baseUrl}/battery/tasks/${done.id}`);
    await page.locator('[data-testid="task-status"][data-status="SUCCEEDED"]').waitFor();
    await queue.cancel(foreign.runs[0].jobId!, { userId: other.id });
  }, 60_000);
});
