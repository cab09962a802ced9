/**
 * Quotas against the real database: the active-jobs limit refuses work past it (naming the limit
 * and the count, creating nothing), holds under parallel creations, frees up when jobs end, and
 * the operator command raises it for one user.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn } from "node:child_process";
import { TRPCError } from "@trpc/server";
import { db, closeDb } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { TrainingTask } from "../../db/models/training-task.js";
import * as q from "../../jobs/queue.js";
import { testPrefix } from "../../jobs/testing.js";
import { createTestUser } from "../testing/users.js";
import { env } from "../env.js";
import type { TaskInput } from "../schemas/training.js";
import { createTask, cancelTask } from "./training/tasks.js";
import { setUserQuota, userQuotas } from "./quotas.js";
import { createSyntheticAsset, syntheticCsv } from "../testing/anomaly-fixtures.js";
import { artifacts } from "../storage/artifacts.js";
import { artifactKey, userPrefix } from "../storage/keys.js";
import { startDetection } from "./anomaly/detections.js";
import { startTraining } from "./energy/models.js";
import { createEarlyLifeTask } from "./early-life/tasks.js";

// No worker serves this prefix: the jobs stay queued, as a busy queue would keep them.
const prefix = testPrefix("quota");
let datasetId: number;

const task = (algorithms: TaskInput["algorithms"]): TaskInput => ({
  name: `quota-${Date.now()}`,
  datasetId,
  split: "case_a",
  target: "pcl",
  features: ["kong_slope", "kong_intercept", "tavg_c"],
  algorithms,
  epochs: 2,
  window: 4,
  lstmLayers: 1,
  lstmHidden: 16,
  hiddenWidth: 32,
  physicsLoss: "adaptive",
});

const refusal = (p: Promise<unknown>) =>
  p.then(
    () => null,
    (e: unknown) => e as TRPCError,
  );

beforeAll(async () => {
  db();
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
});
afterAll(async () => {
  // Leave no queued job behind in a shared database.
  const left: { id: number }[] = await db()("jobs")
    .where("name", "like", `${prefix}%`)
    .whereIn("state", ["created", "retry"])
    .select("id");
  for (const j of left) await q.cancel(j.id);
  await closeDb();
});

describe("active-jobs quota", () => {
  it("also refuses energy training, detections and early-life tasks at the limit, creating no row", async () => {
    const user = await createTestUser("quota-kinds");
    const assetId = await createSyntheticAsset(user, 1000);
    const detectorId = (await user.caller.anomaly.fitStreaming({ assetId })).id;
    await setUserQuota(user.id, "activeJobs", 1);
    await createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix });
    const rows = async () =>
      Promise.all(
        ["energy_model_versions", "anomaly_detections", "early_life_tasks"].map(async (t) =>
          Number((await db()(t).where({ userId: user.id }).count({ n: "*" }).first())!.n),
        ),
      );
    const before = await rows();
    for (const attempt of [
      () => startTraining(user.id, { assetId }, { jobNamePrefix: prefix }),
      () => startDetection(user.id, { source: "range", detectorId }, { jobNamePrefix: prefix }),
      () =>
        createEarlyLifeTask(
          user.id,
          { name: `quota-early-${Date.now()}`, datasetId, featureSet: "variance", model: "least_squares" },
          { jobNamePrefix: prefix },
        ),
    ]) {
      const e = await refusal(attempt());
      expect(e?.code).toBe("TOO_MANY_REQUESTS");
      expect(e?.message).toContain("your limit is 1 and 1 are active, so 1 more job cannot be started");
    }
    expect(await rows()).toEqual(before);
  }, 60_000);

  it("refuses a training task that would pass the user's limit, naming the limit and the count; nothing is created", async () => {
    const user = await createTestUser("quota");
    await setUserQuota(user.id, "activeJobs", 3);
    const first = await createTask(user.id, task(["baseline", "bilstm"]), { jobNamePrefix: prefix });
    expect(first.runs).toHaveLength(2);

    const tasksBefore = await TrainingTask.query().where({ userId: user.id }).resultSize();
    const e = await refusal(user.caller.training.create(task(["baseline", "deephpm"])));
    expect(e).toBeInstanceOf(TRPCError);
    expect(e!.code).toBe("TOO_MANY_REQUESTS");
    expect(e!.message).toContain("your limit is 3 and 2 are active, so 2 more jobs cannot be started");
    expect(await TrainingTask.query().where({ userId: user.id }).resultSize()).toBe(tasksBefore);
    expect((await userQuotas(user.id)).activeJobs).toEqual({ limit: 3, used: 2, overridden: true });

    // One more job fits exactly; then the next is refused.
    await createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix });
    expect((await refusal(createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix })))?.message).toContain(
      "limit is 3 and 3 are active",
    );

    // Ended jobs no longer count: cancelling the first task frees two places.
    await cancelTask(user.id, first.id);
    const again = await createTask(user.id, task(["baseline", "bilstm"]), { jobNamePrefix: prefix });
    expect(again.runs).toHaveLength(2);

    // Another user's jobs do not count against this one's limit.
    const other = await createTestUser("quota-other");
    await setUserQuota(other.id, "activeJobs", 1);
    expect((await createTask(other.id, task(["baseline"]), { jobNamePrefix: prefix })).runs).toHaveLength(1);
  });

  it("holds under parallel creations: of eight at once with a limit of three, exactly three get through", async () => {
    const user = await createTestUser("quota-race");
    await setUserQuota(user.id, "activeJobs", 3);
    const results = await Promise.allSettled(
      Array.from({ length: 8 }, () => createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix })),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    for (const r of results.filter((x) => x.status === "rejected")) {
      expect(((r as PromiseRejectedResult).reason as TRPCError).code).toBe("TOO_MANY_REQUESTS");
    }
    const active = await db()("jobs")
      .where({ userId: user.id })
      .whereIn("state", ["created", "retry", "active"])
      .count({ n: "*" })
      .first();
    expect(Number(active!.n)).toBe(3);
  });

  it("uses the QUOTA_* defaults when the user has no override", async () => {
    const user = await createTestUser("quota-default");
    expect(await userQuotas(user.id)).toEqual({
      activeJobs: { limit: env().QUOTA_ACTIVE_JOBS, used: 0, overridden: false },
      uploads: { limit: env().QUOTA_UPLOADS, used: 0, overridden: false },
      storageMb: { limit: env().QUOTA_STORAGE_MB, used: 0, overridden: false },
      taskTflop: { limit: env().QUOTA_TASK_TFLOP, used: 0, overridden: false },
    });
    expect([env().QUOTA_UPLOADS, env().QUOTA_STORAGE_MB]).toEqual([200, 2048]);
    expect(env().QUOTA_ACTIVE_JOBS).toBe(20);
    await q.send(`${prefix}quota.dummy`, null, { userId: user.id });
    expect((await userQuotas(user.id)).activeJobs.used).toBe(1);
  });
});

describe("upload quotas", () => {
  const batteryCsv = (rows: number) =>
    [
      "cell_id,cycle,temp_c,rul",
      ...Array.from(
        { length: rows },
        (_, i) => `U${i % 2},${Math.floor(i / 2) + 1},${30 + i / 10},${rows - Math.floor(i / 2)}`,
      ),
    ].join("\n");
  const upload = (u: Awaited<ReturnType<typeof createTestUser>>, rows = 40) =>
    u.caller.battery.upload({ fileName: "q.csv", contentBase64: Buffer.from(batteryCsv(rows)).toString("base64") });
  const stored = async (userId: number) => (await artifacts().list(userPrefix(userId))).length;
  const uploadRows = async (userId: number) =>
    Number((await db()("batteryUploads").where({ userId }).count({ n: "*" }).first())!.n) +
    Number((await db()("energyUploads").where({ userId }).count({ n: "*" }).first())!.n);

  it("refuses an upload past the user's upload count, naming the limit; nothing stored", async () => {
    const user = await createTestUser("quota-up");
    await setUserQuota(user.id, "uploads", 1);
    expect((await upload(user)).ok).toBe(true);
    const files = await stored(user.id);
    const e = await refusal(upload(user));
    expect(e?.code).toBe("TOO_MANY_REQUESTS");
    expect(e?.message).toContain("your limit is 1 uploads and you have 1");
    // Energy uploads count too, and are refused the same way.
    const e2 = await refusal(
      user.caller.energy.uploads.commit({
        fileName: "s.csv",
        contentBase64: Buffer.from(syntheticCsv(200)).toString("base64"),
        mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
        newAssetName: `quota-${Date.now()}`,
      }),
    );
    expect(e2?.message).toContain("your limit is 1 uploads and you have 1");
    expect(await uploadRows(user.id)).toBe(1);
    expect(await stored(user.id)).toBe(files);
    expect((await userQuotas(user.id)).uploads).toEqual({ limit: 1, used: 1, overridden: true });
  });

  it("refuses an upload that would pass the user's storage, naming the limit and the sizes; nothing stored", async () => {
    const user = await createTestUser("quota-mb");
    await setUserQuota(user.id, "storageMb", 0);
    const e = await refusal(upload(user));
    expect(e?.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e?.message).toMatch(
      /your limit is 0 MB, your uploads and stored models, exports and results use 0\.0 MB and this file is 0\.0 MB/,
    );
    expect(await uploadRows(user.id)).toBe(0);
    expect(await stored(user.id)).toBe(0);
    await setUserQuota(user.id, "storageMb", 1);
    expect((await upload(user)).ok).toBe(true);
    expect(await uploadRows(user.id)).toBe(1);
  });
  it("counts the user's stored model files, exports and results in the storage, not only uploads", async () => {
    const user = await createTestUser("quota-art");
    await setUserQuota(user.id, "storageMb", 1);
    // 1.1 MB of model files under the user's folder (another user's files do not count).
    await artifacts().put(artifactKey(user.id, "battery-models", 999_999, "model.onnx"), new Uint8Array(1_153_434));
    const other = await createTestUser("quota-art-other");
    await artifacts().put(artifactKey(other.id, "battery-models", 999_999, "model.onnx"), new Uint8Array(2_000_000));
    expect((await userQuotas(user.id)).storageMb.used).toBe(1.1);
    const e = await refusal(upload(user));
    expect(e?.code).toBe("PAYLOAD_TOO_LARGE");
    expect(e?.message).toContain("use 1.1 MB");
    expect(await uploadRows(user.id)).toBe(0);
    expect((await upload(other)).ok).toBe(true);
  });
});

function setQuota(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/set-quota.ts", ...args], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "",
    stderr = "";
  proc.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  proc.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  return new Promise((resolve) => proc.on("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("operator command set-quota", () => {
  it("raises one user's limit so a refused task then goes through, and puts it back to the default", async () => {
    const user = await createTestUser("quota-op");
    await setUserQuota(user.id, "activeJobs", 1);
    await createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix });
    expect((await refusal(createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix })))?.code).toBe(
      "TOO_MANY_REQUESTS",
    );

    const r = await setQuota(["--email", user.email.toUpperCase(), "--active-jobs", "5"]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`active jobs 1 of 5 (set for this user)`);
    expect((await createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix })).runs).toHaveLength(1);

    const back = await setQuota(["--email", user.email, "--active-jobs", "default"]);
    expect(back.code, back.stderr).toBe(0);
    expect(back.stdout).toContain(`active jobs 2 of ${env().QUOTA_ACTIVE_JOBS} (default)`);

    const up = await setQuota(["--email", user.email, "--uploads", "7", "--storage-mb", "100"]);
    expect(up.code, up.stderr).toBe(0);
    expect(up.stdout).toContain("uploads 0 of 7 (set for this user); storage 0 MB of 100 MB (set for this user)");
    expect(await userQuotas(user.id)).toMatchObject({
      uploads: { limit: 7, overridden: true },
      storageMb: { limit: 100, overridden: true },
    });
  });

  it("refuses a bad number or an unknown email, naming the problem, and changes nothing", async () => {
    const user = await createTestUser("quota-op-bad");
    const bad = await setQuota(["--email", user.email, "--active-jobs", "2.5"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--active-jobs: expected a whole number from 0 to 1000000 or "default", got "2.5"');
    expect((await userQuotas(user.id)).activeJobs.overridden).toBe(false);
    const none = await setQuota(["--email", "nobody-here@example.test", "--active-jobs", "5"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toContain("no account with email nobody-here@example.test");
  });
});

describe("compute budget per training task", () => {
  // The example: 3 algorithms × 5 repeats × 5,000 epochs, 6 × 512 MLPs, a window-64 BiLSTM.
  const heavy = (): TaskInput => ({
    ...task(["baseline", "bilstm", "deephpm"]),
    epochs: 5000,
    repeats: 5,
    hiddenLayers: 6,
    hiddenWidth: 512,
    window: 64,
    lstmLayers: 2,
    lstmHidden: 64,
  });

  it("refuses a task past the per-task limit, naming its estimate and the limit, and creates nothing", async () => {
    const user = await createTestUser("quota-compute");
    const e = await refusal(createTask(user.id, heavy(), { jobNamePrefix: prefix }));
    expect(e?.code).toBe("BAD_REQUEST");
    expect(e?.message).toMatch(/needs about [\d,]+ TFLOP of training .*your limit per task is 500 TFLOP/);
    expect(await TrainingTask.query().where({ userId: user.id }).resultSize()).toBe(0);
    // A small task of the same user goes through.
    await createTask(user.id, task(["baseline"]), { jobNamePrefix: prefix });
    expect(await TrainingTask.query().where({ userId: user.id }).resultSize()).toBe(1);
  });

  it("lets the operator raise one user's limit", async () => {
    const user = await createTestUser("quota-compute-raised");
    await setUserQuota(user.id, "taskTflop", 1_000_000);
    await setUserQuota(user.id, "activeJobs", 10);
    const created = await createTask(user.id, heavy(), { jobNamePrefix: prefix });
    expect(created.id).toBeGreaterThan(0);
    await cancelTask(user.id, created.id);
    expect((await userQuotas(user.id)).taskTflop).toEqual({ limit: 1_000_000, used: 0, overridden: true });
  });
});
