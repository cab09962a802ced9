/**
 * Test helpers for the queue: real worker processes (`tsx jobs/worker.ts`) serving a per-test
 * job-name prefix, so parallel test files never take each other's jobs.
 */
import { spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import { db } from "../db/db.js";
import { env } from "../server/env.js";
import { rowsOf, type Row } from "./rows.js";
import { Worker, type WorkerOptions } from "./worker-runtime.js";

export function testPrefix(tag: string): string {
  return `t-${tag}-${crypto.randomBytes(4).toString("hex")}.`;
}

/**
 * Names the jobs this test process enqueues through the services (tRPC callers, an in-process
 * server) with a fresh prefix, through JOB_NAME_PREFIX, so that only the file's own worker takes
 * them. Call it before anything reads env() (each test file runs in its own process); returns the prefix.
 */
export function prefixOwnJobs(tag: string): string {
  const prefix = testPrefix(tag);
  process.env.JOB_NAME_PREFIX = prefix;
  if (env().JOB_NAME_PREFIX !== prefix) throw new Error("prefixOwnJobs: env() was read before JOB_NAME_PREFIX was set");
  return prefix;
}

/**
 * A started in-process worker for a test file: serves only the handlers in `only`, under the
 * file's job-name prefix, one job at a time, quietly. `overrides` changes any other setting.
 */
export function startWorkerFor(
  only: string[],
  namePrefix: string | undefined,
  overrides: Partial<WorkerOptions> = {},
): Worker {
  const worker = new Worker({
    concurrency: 1,
    pollMs: 100,
    heartbeatMs: 1000,
    maintenanceMs: 5000,
    graceMs: 1000,
    purgeAfterSeconds: 86_400,
    only,
    namePrefix,
    log: () => {},
    ...overrides,
  });
  worker.start();
  return worker;
}

export interface WorkerProcess {
  proc: ChildProcess;
  id: string;
  output(): string;
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const spawned = new Set<ChildProcess>();

/** Starts a worker process and resolves once it says it is ready (it is claiming). */
export async function spawnWorker(prefix: string, extraEnv: Record<string, string> = {}): Promise<WorkerProcess> {
  // `tsx jobs/worker.ts` in one process (the tsx CLI would add a wrapper process between us
  // and the worker, and a SIGKILL must reach the worker itself).
  const proc = spawn(process.execPath, ["--import", "tsx", "jobs/worker.ts"], {
    env: {
      ...process.env,
      WORKER_NAME_PREFIX: prefix,
      WORKER_POLL_MS: "100",
      WORKER_HEARTBEAT_MS: "1000",
      WORKER_MAINTENANCE_MS: "1000",
      WORKER_CONCURRENCY: "4",
      ...extraEnv,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  spawned.add(proc);
  let out = "";
  const exited = new Promise<number | null>((resolve) =>
    proc.on("exit", (code) => (spawned.delete(proc), resolve(code))),
  );
  const id = await new Promise<string>((resolve, reject) => {
    const onData = (b: Buffer) => {
      out += b.toString();
      const m = out.match(/\[worker (\S+)\] ready/);
      if (m) resolve(m[1]);
    };
    proc.stdout!.on("data", onData);
    proc.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    void exited.then((code) => reject(new Error(`worker exited (${code}) before it was ready:\n${out}`)));
    setTimeout(() => reject(new Error(`worker not ready after 45 s:\n${out}`)), 45_000);
  });
  return {
    proc,
    id,
    output: () => out,
    exited,
    stop: (signal = "SIGTERM") => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

/** Kills every worker process this test file started (for afterAll). */
export async function killWorkers(): Promise<void> {
  const all = [...spawned];
  for (const p of all) p.kill("SIGKILL");
  await Promise.all(
    all.map((p) => new Promise((r) => (p.exitCode !== null || p.signalCode !== null ? r(null) : p.on("exit", r)))),
  );
}

export async function waitFor<T>(
  what: string,
  fn: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/** A raw query's rows with camelCase keys. */
export async function rows(sql: string, bindings: any[] = []): Promise<Row[]> {
  return rowsOf(await db().raw(sql, bindings));
}

export async function eventsOf(jobId: number): Promise<Row[]> {
  return (await rows(`SELECT * FROM job_events WHERE job_id = ? ORDER BY seq`, [jobId])).map((r) => ({
    ...r,
    payload: typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload,
  }));
}
