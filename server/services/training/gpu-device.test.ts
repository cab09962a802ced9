/**
 * A GPU worker trains on the GPU: a training job claimed by a worker that announces `cuda` asks
 * the addon for the GPU. This machine has none, so the run fails with the addon's device error —
 * which proves the device reached the addon (a CPU worker trains the same task fine elsewhere).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { closeDb } from "../../../db/db.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { builtinDatasetId } from "../../testing/battery-fixtures.js";
import { startWorkerFor, testPrefix, waitFor } from "../../../jobs/testing.js";
import type { Worker } from "../../../jobs/worker-runtime.js";
import { nativeInfo } from "../../../native/index.js";
import { createTask, getTask, TRAIN_JOB } from "./tasks.js";
import "../../../jobs/handlers/index.js";

let user: TestUser;
let gpu: Worker;
const prefix = testPrefix("gpu-device");

beforeAll(async () => {
  user = await createTestUser("gpu-device");
  gpu = startWorkerFor([TRAIN_JOB], prefix, { device: "cuda", heartbeatMs: 500 });
});
afterAll(async () => {
  await gpu?.stop(1000);
  await closeDb();
});

describe("training on a GPU worker", () => {
  it("a task that requires a GPU is trained by the GPU worker, which asks the addon for cuda", async () => {
    expect(nativeInfo().cudaAvailable).toBe(false); // this test's premise: no GPU here
    const task = await createTask(
      user.id,
      {
        name: `gpu-${Date.now()}`,
        datasetId: await builtinDatasetId(),
        split: "case_a",
        target: "pcl",
        features: ["kong_slope", "kong_intercept", "tavg_c"],
        algorithms: ["baseline"],
        epochs: 2,
        hiddenWidth: 16,
        device: "require_gpu",
      },
      { jobNamePrefix: prefix },
    );
    const done = await waitFor(
      "the run to end",
      async () => {
        const t = await getTask(user.id, task.id);
        return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
      },
      30_000,
      200,
    );
    expect(done.runs[0]!.status).toBe("FAILED");
    expect(done.runs[0]!.error).toMatch(/cuda|CUDA|device/);
  }, 45_000);
});
