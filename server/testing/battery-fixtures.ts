/**
 * Test fixtures for Battery Lab testing (tests only): an in-process worker serving a per-test
 * job-name prefix, a Baseline version trained for a few epochs through the training service
 * (createTask → battery.train handler → createVersion: the real path), and finished test jobs.
 */
import "../../jobs/handlers/index.js";
import { testPrefix, waitFor, startWorkerFor } from "../../jobs/testing.js";
import type { Worker } from "../../jobs/worker-runtime.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { createTask, getTask, TRAIN_JOB } from "../services/training/tasks.js";
import type { TaskInput } from "../schemas/training.js";
import type { CreateTestJobInput } from "../schemas/testing.js";
import { createTestJob, getTestJob, TEST_JOB } from "../services/testing/test-jobs.js";

export interface TestWorker {
  prefix: string;
  worker: Worker;
  stop(): Promise<void>;
}

/** An in-process worker for battery.train and battery.test jobs with a fresh name prefix. */
export function startTestWorker(tag = "test"): TestWorker {
  const prefix = testPrefix(tag);
  const worker = startWorkerFor([TRAIN_JOB, TEST_JOB], prefix, { heartbeatMs: 500 });
  return { prefix, worker, stop: () => worker.stop(1000) };
}

export async function builtinDatasetId(): Promise<number> {
  return (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
}

/** Trains a small Baseline (Case A, PCL and RUL, few epochs) through the training service; returns the version id. */
export async function trainBaselineVersion(
  userId: number,
  w: TestWorker,
  over: Partial<TaskInput> = {},
): Promise<number> {
  const task = await createTask(
    userId,
    {
      name: `baseline-${Date.now()}`,
      datasetId: await builtinDatasetId(),
      split: "case_a",
      target: "both",
      features: ["kong_slope", "kong_intercept", "tavg_c"],
      algorithms: ["baseline"],
      epochs: 3,
      hiddenWidth: 32,
      ...over,
    },
    { jobNamePrefix: w.prefix },
  );
  const done = await waitFor(
    `training task ${task.id}`,
    async () => {
      const t = await getTask(userId, task.id);
      return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
    },
    120_000,
    200,
  );
  const run = done.runs[0];
  if (run.status !== "SUCCEEDED" || !run.versionId)
    throw new Error(`training failed: ${run.status} ${run.error ?? ""}`);
  return run.versionId;
}

/** Creates a test job and waits until it has finished (any final status). */
export async function runTestJobToEnd(userId: number, w: TestWorker, input: CreateTestJobInput, timeoutMs = 120_000) {
  const created = await createTestJob(userId, input, { jobNamePrefix: w.prefix });
  return waitFor(
    `test job ${created.id}`,
    async () => {
      const t = await getTestJob(userId, created.id);
      return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
    },
    timeoutMs,
    200,
  );
}

const fixtures = new Map<number, Promise<{ versionId: number; testJobId: number; datasetId: number }>>();

/** Per user (memoised): a trained Baseline and a finished test job on Case A's test cell 124. */
export function finishedTestJobFor(userId: number) {
  let f = fixtures.get(userId);
  if (!f) {
    f = (async () => {
      const w = startTestWorker("tj-fixture");
      try {
        const versionId = await trainBaselineVersion(userId, w);
        const datasetId = await builtinDatasetId();
        const t = await runTestJobToEnd(userId, w, {
          versionId,
          datasetId,
          cellKeys: ["124"],
          targets: ["pcl", "rul"],
        });
        if (t.status !== "SUCCEEDED") throw new Error(`fixture test job ended ${t.status}: ${t.error}`);
        return { versionId, testJobId: t.id, datasetId };
      } finally {
        await w.stop();
      }
    })();
    fixtures.set(userId, f);
  }
  return f;
}
