/**
 * The remote worker, proven (issue #25): a worker process started from another directory, with
 * its own empty DATA_DIR, sharing only DATABASE_URL and the bucket (s3rver on loopback) with the
 * web process (this test process, serving HTTP with startTestServer). The worker trains a battery
 * model and an energy model and runs the battery test job; the web process then answers a
 * forecast, an ONNX download and an XLSX export from what the worker wrote. Neither DATA_DIR
 * receives a file: everything went through the bucket.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ExcelJS from "exceljs";
import * as ort from "onnxruntime-node";
import { startTestS3 } from "../testing/s3.js";

const repo = path.resolve(fileURLToPath(new URL("../..", import.meta.url)));
const s3 = await startTestS3();
const webDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-web-data-"));
Object.assign(process.env, s3.env, { DATA_DIR: webDataDir });

const { closeDb } = await import("../../db/db.js");
const { testPrefix, waitFor } = await import("../../jobs/testing.js");
const { createTestUser } = await import("../testing/users.js");
const { startTestServer } = await import("../testing/server.js");
const { createTask, getTask, TRAIN_JOB } = await import("../services/training/tasks.js");
const { createTestJob, getTestJob, TEST_JOB } = await import("../services/testing/test-jobs.js");
const { startTraining, getVersion, ENERGY_TRAIN_JOB } = await import("../services/energy/models.js");
const { createSyntheticAsset } = await import("../testing/anomaly-fixtures.js");
const { builtinDatasetId } = await import("../testing/battery-fixtures.js");
const { S3ArtifactStore, artifactKey } = await import("../storage/artifacts.js");

/** The worker's own host: a directory outside the checkout with an empty DATA_DIR. */
const workerHome = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-remote-worker-"));
const workerDataDir = path.join(workerHome, "data");
fs.mkdirSync(workerDataDir);
const prefix = testPrefix("remote");
let worker: ChildProcess | undefined;
let workerOut = "";

/** `tsx jobs/worker.ts` as its own process, cwd outside the checkout; its environment is built from nothing. */
async function startRemoteWorker(): Promise<ChildProcess> {
  const tsx = pathToFileURL(path.join(repo, "node_modules/tsx/dist/loader.mjs")).href;
  const proc = spawn(process.execPath, ["--import", tsx, path.join(repo, "jobs/worker.ts")], {
    cwd: workerHome,
    env: {
      NODE_ENV: "test",
      PATH: process.env.PATH ?? "/usr/bin:/bin",
      HOME: workerHome,
      DATABASE_URL: process.env.DATABASE_URL!,
      ...s3.env,
      DATA_DIR: workerDataDir,
      JWT_SECRET: crypto.randomBytes(32).toString("hex"),
      WORKER_NAME_PREFIX: prefix,
      WORKER_ONLY_QUEUES: [TRAIN_JOB, TEST_JOB, ENERGY_TRAIN_JOB].join(","),
      WORKER_CONCURRENCY: "2",
      WORKER_POLL_MS: "100",
      WORKER_HEARTBEAT_MS: "1000",
      WORKER_GRACE_MS: "1000",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`remote worker not ready after 60 s:\n${workerOut}`)), 60_000);
    proc.stdout!.on("data", (b: Buffer) => {
      workerOut += b.toString();
      if (/\[worker \S+\] ready/.test(workerOut)) (clearTimeout(timer), resolve());
    });
    proc.stderr!.on("data", (b: Buffer) => (workerOut += b.toString()));
    proc.on(
      "exit",
      (code) => (clearTimeout(timer), reject(new Error(`remote worker exited (${code}):\n${workerOut}`))),
    );
  });
  return proc;
}

const filesUnder = (dir: string) =>
  fs.readdirSync(dir, { recursive: true }).filter((f) => fs.statSync(path.join(dir, String(f))).isFile());

beforeAll(async () => {
  worker = await startRemoteWorker();
}, 90_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const exited = new Promise((r) => worker!.once("exit", r));
    worker.kill("SIGTERM");
    await exited;
  }
  await closeDb();
  await s3.close();
  fs.rmSync(webDataDir, { recursive: true, force: true });
  fs.rmSync(workerHome, { recursive: true, force: true });
});

describe("a worker on another host, sharing only the database and the bucket", { timeout: 120_000 }, () => {
  it("trains battery and energy models and tests a battery model; the web process serves the forecast, the ONNX file and the XLSX export", async () => {
    const user = await createTestUser("remote-worker");
    const datasetId = await builtinDatasetId();
    const assetId = await createSyntheticAsset(user, 1000);

    // Both trainings queued at once; only the remote worker serves this prefix.
    const task = await createTask(
      user.id,
      {
        name: `remote-${Date.now()}`,
        datasetId,
        split: "case_a",
        target: "both",
        features: ["kong_slope", "kong_intercept", "tavg_c"],
        algorithms: ["baseline"],
        epochs: 3,
        hiddenWidth: 32,
      },
      { jobNamePrefix: prefix },
    );
    const energy = await startTraining(
      user.id,
      { assetId, kind: "gbdt", lookback: 96, horizon: 16, epochs: 30 },
      { jobNamePrefix: prefix },
    );
    const trained = await waitFor(
      `training task ${task.id}`,
      async () => {
        const t = await getTask(user.id, task.id);
        return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
      },
      120_000,
      200,
    );
    expect(trained.status, `${trained.runs[0]?.error ?? ""}\n${workerOut}`).toBe("SUCCEEDED");
    const versionId = trained.runs[0].versionId!;
    const ev = await waitFor(
      `energy version ${energy.id}`,
      async () => {
        const v = await getVersion(user.id, energy.id);
        return v.status === "SUCCEEDED" || v.status === "FAILED" ? v : null;
      },
      120_000,
      200,
    );
    expect(ev.status, `${JSON.stringify(ev.error)}\n${workerOut}`).toBe("SUCCEEDED");

    // The battery test job also runs on the remote worker (it writes the exports to the bucket).
    const created = await createTestJob(
      user.id,
      { versionId, datasetId, cellKeys: ["124"], targets: ["pcl", "rul"] },
      { jobNamePrefix: prefix },
    );
    const tj = await waitFor(
      `test job ${created.id}`,
      async () => {
        const t = await getTestJob(user.id, created.id);
        return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
      },
      120_000,
      200,
    );
    expect(tj.status, `${tj.error ?? ""}\n${workerOut}`).toBe("SUCCEEDED");
    expect(tj.result!.samples).toBeGreaterThan(100);

    // The web process reads what the remote worker wrote, through its HTTP API.
    const server = await startTestServer({ withRemix: false });
    const auth = { authorization: `Bearer ${user.apiKey}` };
    try {
      const fc = await fetch(`${server.url}/api/v1/energy/models/${energy.id}/forecast`, { headers: auth });
      expect(fc.status, await fc.clone().text()).toBe(200);
      const forecast = (await fc.json()) as { forecast: { ts: number; q10: number; q50: number; q90: number }[] };
      expect(forecast.forecast).toHaveLength(16);
      for (const p of forecast.forecast) {
        expect(p.q10).toBeLessThanOrEqual(p.q90);
        // The synthetic series is 50 ± 20 (plus noise): a trained model forecasts inside it.
        expect(p.q50).toBeGreaterThan(20);
        expect(p.q50).toBeLessThan(80);
      }

      const onnxRes = await fetch(`${server.url}/api/models/${versionId}/model.onnx`, { headers: auth });
      expect(onnxRes.status).toBe(200);
      const onnx = Buffer.from(await onnxRes.arrayBuffer());
      const session = await ort.InferenceSession.create(new Uint8Array(onnx));
      expect(session.inputNames.length).toBeGreaterThan(0);
      const bucket = new S3ArtifactStore(s3.settings);
      expect(onnx.equals(await bucket.get(artifactKey(user.id, "battery-models", versionId, "model.onnx")))).toBe(true);

      const xlsxRes = await fetch(`${server.url}/api/v1/test-jobs/${tj.id}/result.xlsx`, { headers: auth });
      expect(xlsxRes.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(await xlsxRes.arrayBuffer());
      expect(book.worksheets.map((w) => w.name)).toEqual(["meta", "overall", "per_cell", "detail"]);
      // Header + one row per (cycle, target) sample of cell 124.
      expect(book.getWorksheet("detail")!.rowCount).toBe(1 + 2 * tj.result!.samples);
    } finally {
      await server.close();
    }

    // Nothing landed on either local disk: the files exist only in the bucket.
    expect(filesUnder(workerDataDir)).toEqual([]);
    expect(filesUnder(webDataDir)).toEqual([]);
    expect(workerOut).toContain(`jobs ${prefix}`);
  });
});
