/**
 * #27 row 3: a job's end always ends the row the user sees. Energy model versions and batch
 * detections read their status from their job (PENDING / RUNNING / SUCCEEDED / FAILED / CANCELED),
 * so a cancel before the job starts, or a worker that dies mid-run (the queue's expiry takes the
 * job back; retryLimit 0 fails it), shows on the version and the detection, never "training" or
 * "running" forever. The dead worker is a real claim (queue.fetch) by a worker id that never
 * heartbeats; the expiry is the queue's own maintenance (queue.expire) once the heartbeat is old.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../../../db/db.js";
import * as queue from "../../../jobs/queue.js";
import { testPrefix } from "../../../jobs/testing.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createSyntheticAsset } from "../../testing/anomaly-fixtures.js";
import { DETECT_JOB, startDetection } from "../anomaly/detections.js";
import { ENERGY_TRAIN_JOB, startTraining } from "./models.js";

let user: TestUser;
let prefix: string;
let n = 0;
/** A job-name prefix of its own per test: no other test's job (or worker) can take part. */
const own = () => `${prefix}${++n}.`;
let assetId: number;
let detectorId: number;

beforeAll(async () => {
  user = await createTestUser("job-end-status");
  prefix = testPrefix("job-end-status");
  assetId = await createSyntheticAsset(user, 1000);
  detectorId = (await user.caller.anomaly.fitStreaming({ assetId })).id;
}, 60_000);

afterAll(async () => {
  await closeDb();
});

/** A worker claims the job and dies: it never heartbeats again; the queue's expiry takes the job back. */
async function workerDiesMidRun(jobName: string, jobId: number, whileRunning: () => Promise<void>) {
  const claimed = await queue.fetch([jobName], 1, `${jobName}doomed-worker`);
  expect(claimed.map((j) => j.id)).toEqual([jobId]);
  await whileRunning();
  // The worker's last heartbeat is now older than any expireIn (energy jobs: 30 to 60 min).
  await db().raw(`UPDATE jobs SET heartbeat_at = NOW(3) - INTERVAL 1 DAY WHERE id = ?`, [jobId]);
  expect(await queue.expire()).toBeGreaterThanOrEqual(1);
}

describe("energy training", () => {
  it("cancelled before it starts: the version reads CANCELED, is not offered for forecasts", async () => {
    const v = await startTraining(user.id, { assetId }, { jobNamePrefix: own() });
    expect((await user.caller.energyModels.get({ id: v.id })).status).toBe("PENDING");
    await user.caller.jobs.cancel({ id: v.jobId! });
    expect((await user.caller.energyModels.get({ id: v.id })).status).toBe("CANCELED");
    expect((await user.caller.energyModels.list({ assetId })).find((r) => r.id === v.id)?.status).toBe("CANCELED");
    await expect(user.caller.energyModels.forecast({ id: v.id })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      message: expect.stringContaining("CANCELED"),
    });
  });

  it("its worker killed mid-run: the version reads RUNNING, then FAILED with the expiry's reason", async () => {
    const p = own();
    const v = await startTraining(user.id, { assetId }, { jobNamePrefix: p });
    await workerDiesMidRun(p + ENERGY_TRAIN_JOB, v.jobId!, async () => {
      expect((await user.caller.energyModels.get({ id: v.id })).status).toBe("RUNNING");
    });
    const got = await user.caller.energyModels.get({ id: v.id });
    expect(got.status).toBe("FAILED");
    expect(got.error).toMatch(/expired: no heartbeat/);
    expect((await user.caller.energyModels.list({ assetId })).find((r) => r.id === v.id)?.status).toBe("FAILED");
  });
});

describe("batch detection", () => {
  it("cancelled before it starts: the detection reads CANCELED", async () => {
    const d = await startDetection(user.id, { source: "range", detectorId }, { jobNamePrefix: own() });
    expect((await user.caller.anomaly.detection({ id: d.id })).status).toBe("PENDING");
    await user.caller.jobs.cancel({ id: d.jobId! });
    expect((await user.caller.anomaly.detection({ id: d.id })).status).toBe("CANCELED");
    expect((await user.caller.anomaly.detections({ detectorId })).find((r) => r.id === d.id)?.status).toBe("CANCELED");
  });

  it("its worker killed mid-run: the detection reads RUNNING, then FAILED with the expiry's reason", async () => {
    const p = own();
    const d = await startDetection(user.id, { source: "range", detectorId }, { jobNamePrefix: p });
    await workerDiesMidRun(p + DETECT_JOB, d.jobId!, async () => {
      expect((await user.caller.anomaly.detection({ id: d.id })).status).toBe("RUNNING");
    });
    const got = await user.caller.anomaly.detection({ id: d.id });
    expect(got.status).toBe("FAILED");
    expect(got.error).toMatch(/expired: no heartbeat/);
    expect((await user.caller.anomaly.detections({ detectorId })).find((r) => r.id === d.id)?.status).toBe("FAILED");
  });
});
