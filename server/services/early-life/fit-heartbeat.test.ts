/**
 * The early-life default (the "ensemble" elastic nets, each with leave-one-cell-out
 * cross-validation) run as a user runs it: a task on the Severson split through the queue and an
 * in-process worker. The fit shares the worker's event loop, so it must hand it back often enough
 * for the worker to keep heartbeating the job (a job without heartbeats expires and is retried),
 * and it must still choose and predict what the bench reports (bench/results/generalise-early-life.md).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { EarlyLifeTask } from "../../../db/models/early-life-task.js";
import "../../../jobs/handlers/index.js";
import { startWorkerFor, testPrefix } from "../../../jobs/testing.js";
import type { Worker } from "../../../jobs/worker-runtime.js";
import { EARLY_LIFE_DEFAULTS } from "../../schemas/early-life.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createEarlyLifeTask, EARLY_LIFE_JOB, getEarlyLifeTask } from "./tasks.js";

const prefix = testPrefix("early-beat");
let user: TestUser;
let worker: Worker;
let datasetId: number;

beforeAll(async () => {
  db();
  user = await createTestUser("early-beat");
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  worker = startWorkerFor([EARLY_LIFE_JOB], prefix, { heartbeatMs: 100 });
});
afterAll(async () => {
  await worker?.stop(1000);
  await closeDb();
});

interface JobTimes {
  state: string;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  completedAt: Date | null;
}

describe("early-life default fit in a worker", () => {
  it("keeps the job's heartbeat going while it fits, and chooses and scores as the bench reports", async () => {
    expect(EARLY_LIFE_DEFAULTS.featureSet).toBe("ensemble");
    const created = await createEarlyLifeTask(
      user.id,
      { name: `early-beat-${Date.now()}`, datasetId },
      { jobNamePrefix: prefix },
    );
    const jobId = (await EarlyLifeTask.query().findById(created.id))!.jobId!;
    // Every heartbeat the worker writes while the job runs (polled more often than it beats).
    const beats = new Set<number>();
    let row: JobTimes;
    const deadline = Date.now() + 120_000;
    for (;;) {
      row = await db()("jobs").where({ id: jobId }).first("state", "startedAt", "heartbeatAt", "completedAt");
      if (row.state === "active" && row.heartbeatAt) beats.add(row.heartbeatAt.getTime());
      if (row.completedAt || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(row.state).toBe("completed");
    const times = [row.startedAt!.getTime(), ...[...beats].sort((a, b) => a - b), row.completedAt!.getTime()];
    const gaps = times.slice(1).map((t, i) => t - times[i]);
    // The fit takes seconds of CPU; heartbeats every 100 ms, never a second without one.
    const seen = `${beats.size} heartbeats over ${times.at(-1)! - times[0]} ms, gaps ${gaps.join(", ")} ms`;
    expect(times.at(-1)! - times[0], seen).toBeGreaterThan(500);
    expect(beats.size, seen).toBeGreaterThanOrEqual(5);
    expect(Math.max(...gaps), seen).toBeLessThan(1000);

    const t = await getEarlyLifeTask(user.id, created.id);
    expect(t.status).toBe("SUCCEEDED");
    const r = t.result!;
    expect(r.cv!.members!.map((m) => [m.featureSet, m.l1Ratio])).toEqual([
      ["summary", 0.1],
      ["extended", 0.05],
    ]);
    expect(r.cv!.members![0].lambda).toBeCloseTo(4.5318e-3, 7);
    expect(r.cv!.members![1].lambda).toBeCloseTo(1.44773e-2, 7);
    expect(r.cv!.cvRmse).toBeCloseTo(59.855, 2);
    const g = Object.fromEntries(r.groups.map((x) => [x.name, x.rmse]));
    expect(g.primary_test).toBeCloseTo(133.198, 2);
    expect(g.secondary_test).toBeCloseTo(164.493, 2);
  }, 150_000);
});
