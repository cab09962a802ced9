import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser } from "../server/testing/users.js";
import { prefixOwnJobs, startWorkerFor } from "../jobs/testing.js";
import * as q from "../jobs/queue.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { createTask } from "../server/services/training/tasks.js";
import { builtinDatasetId } from "../server/testing/battery-fixtures.js";

const prefix = prefixOwnJobs("jobspage");
let env: E2EEnv;
beforeAll(async () => {
  env = await startE2E();
});
afterAll(async () => {
  await env?.close();
  await closeDb();
});

describe("the jobs page", () => {
  it("lists the workers online with their device and queues, and the user's own jobs with their status", async () => {
    const user = await createTestUser();
    const gpu = startWorkerFor(["system.echo"], prefix, { device: "cuda", deviceName: "Test GPU" });
    const jobId = (await q.send(`${prefix}system.echo`, { hello: 1 }, { userId: user.id, device: "require_gpu" }))!;
    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/jobs`);
    const row = page.getByTestId("worker-row").filter({ hasText: `${prefix}system.echo` });
    await row.waitFor();
    expect(await row.getAttribute("data-device")).toBe("cuda");
    expect(await row.textContent()).toContain("Test GPU");
    // The GPU-only job ran on it and reads SUCCEEDED in the user's list.
    await page
      .getByTestId("job-row")
      .filter({ hasText: `#${jobId}` })
      .locator("[data-status=SUCCEEDED]")
      .waitFor();
    await screenshot(page, "jobs-page");
    // Stopped, the worker leaves the list.
    await gpu.stop();
    await row.waitFor({ state: "detached", timeout: 15_000 });

    // The training form offers where to train; a task that requires a GPU, with no GPU worker
    // serving training, says why it waits.
    await page.goto(`${env.baseUrl}/battery/train`);
    await page.getByTestId("field-device").waitFor();
    const task = await createTask(user.id, {
      name: `gpu-wait-${Date.now()}`,
      datasetId: await builtinDatasetId(),
      split: "case_a",
      target: "pcl",
      features: ["kong_slope", "kong_intercept", "tavg_c"],
      algorithms: ["baseline"],
      epochs: 2,
      device: "require_gpu",
    });
    await page.goto(`${env.baseUrl}/battery/tasks/${task.id}`);
    await page.getByTestId("waiting-for-gpu").waitFor();
    await screenshot(page, "jobs-task-waits-for-gpu");
    await context.close();
  }, 60_000);
});
