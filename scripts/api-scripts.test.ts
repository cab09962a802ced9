/**
 * The typed client scripts against a live server (real HTTP + WebSocket on a free port), each run
 * as a user would run it (`node --import tsx scripts/…`, an API key in VOLTLAB_API_KEY), with an
 * in-process worker serving the battery.train and battery.test jobs the scripts create (and only those).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn } from "node:child_process";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import ExcelJS from "exceljs";
import "../jobs/handlers/index.js";
import { TRAIN_JOB } from "../server/services/training/tasks.js";
import { TEST_JOB } from "../server/services/testing/test-jobs.js";
import { startTestServer } from "../server/testing/server.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { createSyntheticAsset, SPIKES, trainReadyVersion } from "../server/testing/anomaly-fixtures.js";
import { loadSeries } from "../server/services/energy/series.js";
import { closeDb, db } from "../db/db.js";
import { testPrefix, startWorkerFor } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let user: TestUser;
let worker: Worker;
let adopt: ReturnType<typeof setInterval>;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-scripts-"));

function runScript(script: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ["--import", "tsx", `scripts/${script}`, ...args], {
      env: { ...process.env, VOLTLAB_API_KEY: user.apiKey, VOLTLAB_URL: server.url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "",
      stderr = "";
    p.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    p.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    p.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  user = await createTestUser("scripts");
  // The scripts create ordinary battery.train / battery.test jobs (the API takes no job-name
  // prefix). So that this file's worker serves only this user's jobs (never another test file's),
  // they are renamed to a test prefix as they appear, and the worker serves that prefix.
  const prefix = testPrefix("scripts");
  adopt = setInterval(() => {
    db()("jobs")
      .where({ userId: user.id, state: "created" })
      .whereIn("name", [TRAIN_JOB, TEST_JOB])
      .update({ name: db().raw("CONCAT(?, name)", [prefix]) })
      .catch(() => {});
  }, 100);
  worker = startWorkerFor([TRAIN_JOB, TEST_JOB], prefix);
});
afterAll(async () => {
  clearInterval(adopt);
  await worker?.stop(1000);
  await server?.close();
  await closeDb();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe("client scripts", { timeout: 60_000 }, () => {
  let versionId: number;

  it("train-and-follow trains a small Baseline, follows it live over WebSocket and exits 0 with a version", async () => {
    const name = `script-train-${Date.now()}`;
    const r = await runScript("train-and-follow.ts", [
      "--name",
      name,
      "--epochs",
      "3",
      "--target",
      "pcl",
      "--algorithms",
      "baseline",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/progress baseline \[#{30}\] 100% \(3\/3 epochs\)/);
    const taskId = Number(r.stdout.match(/^task (\d+) created/m)![1]);
    expect(r.stdout).toContain(`task ${taskId} SUCCEEDED`);
    const task = await user.caller.training.get({ id: taskId });
    expect(task.name).toBe(name);
    expect(task.status).toBe("SUCCEEDED");
    versionId = task.runs[0].versionId!;
    expect(r.stdout).toContain(`run baseline: SUCCEEDED → model version ${versionId}`);
    const v = await user.caller.models.get({ id: versionId });
    expect(v.id).toBe(versionId);
  });

  it("train-and-follow --poll follows by polling training.get (no WebSocket) to the end", async () => {
    const r = await runScript("train-and-follow.ts", ["--epochs", "1", "--poll"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^run baseline: (PENDING|RUNNING)$/m);
    expect(r.stdout).toMatch(/^progress runs \[#{30}\] 100% \(1\/1 finished\)$/m);
    expect(r.stdout).toMatch(/^task \d+ SUCCEEDED$/m);
  });

  it("train-and-follow exits 1 with the server's validation message for an invalid task", async () => {
    const r = await runScript("train-and-follow.ts", ["--features", "qdischarge_ah", "--poll"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: Invalid input: features: qdischarge_ah is the PCL target in disguise/);
  });

  it("run-test-job tests the version on Case A's test cells and downloads a readable XLSX", async () => {
    const out = path.join(tmp, "result.xlsx");
    const r = await runScript("run-test-job.ts", ["--version", String(versionId), "--targets", "pcl", "--out", out]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("status SUCCEEDED");
    expect(r.stdout).toContain(`wrote ${out}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.length).toBeGreaterThan(0);
    const rowsInAll = wb.worksheets.reduce((n, ws) => n + ws.actualRowCount, 0);
    expect(rowsInAll).toBeGreaterThan(2);
    const testJobId = Number(r.stdout.match(/^test job (\d+) created/m)![1]);
    expect((await user.caller.testJobs.get({ id: testJobId })).status).toBe("SUCCEEDED");
  });

  it("stream-points posts the asset's tail to real-time scoring and reports the flagged spikes", async () => {
    const assetId = await createSyntheticAsset(user);
    const v = await trainReadyVersion(user.id, assetId);
    const s = await loadSeries({ assetId, userId: user.id });
    const d = await user.caller.anomaly.fit({
      modelVersionId: v.id,
      highQuantile: 0.99,
      scoreMode: "raw",
      fitTo: s.timestamps[600],
      mergeGap: 2,
    });
    // 1000 points at 15 min: the last week (672 points) holds the tail of 400 with the spikes.
    const r = await runScript("stream-points.ts", [
      "--detector",
      String(d.id),
      "--points",
      "400",
      "--batch",
      "50",
      "--interval-ms",
      "0",
    ]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const flagged = Number(r.stdout.match(/sent 400 points, (\d+) flagged/)![1]);
    const flagLines = r.stdout.split("\n").filter((l) => l.startsWith("FLAG "));
    expect(flagLines).toHaveLength(flagged);
    for (const i of SPIKES) expect(r.stdout).toContain(`FLAG ${new Date(s.timestamps[i]).toISOString()}`);
    const stored = await user.caller.anomaly.stream({ detectorId: d.id, limit: 1000 });
    expect(stored.points).toHaveLength(400);
    expect(stored.points.filter((p: { flag: boolean }) => p.flag)).toHaveLength(flagged);
  });
});
