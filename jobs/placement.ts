/**
 * Placing work on the right machine. Workers announce what they run (their device and queues) in
 * the `workers` table and heartbeat there; a job says whether it needs a GPU:
 * - `any`: every worker may take it;
 * - `prefer_gpu`: a GPU worker takes it when one serving its queue is online, a CPU worker otherwise;
 * - `require_gpu`: only a GPU worker takes it; until one is online it waits (visibly: see
 *   `gpuOnline`, which pages use to say so).
 * A GPU worker takes every job of its queues.
 */
import os from "node:os";
import type { Knex } from "knex";
import { db } from "../db/db.js";

export { JOB_DEVICES, type JobDevice } from "./states.js";
export type WorkerDevice = "cpu" | "cuda";

/** A worker whose last heartbeat is older than this is not online. */
export const WORKER_ONLINE_SECONDS = 30;

export interface WorkerAnnouncement {
  id: string;
  device: WorkerDevice;
  deviceName?: string | null;
  queues: string[];
  concurrency: number;
}

/** Announces (or re-announces) a worker; called at start and with every heartbeat. */
export async function announce(w: WorkerAnnouncement, k: Knex = db()): Promise<void> {
  await k.raw(
    `INSERT INTO workers (id, host, pid, device, device_name, queues, concurrency, started_at, heartbeat_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, NOW(3), NOW(3))
     ON DUPLICATE KEY UPDATE heartbeat_at = NOW(3), device = VALUES(device), queues = VALUES(queues)`,
    [w.id, os.hostname(), process.pid, w.device, w.deviceName ?? null, JSON.stringify(w.queues), w.concurrency],
  );
}

/** A worker that stops says goodbye (and old rows of workers gone for a day are dropped). */
export async function withdraw(id: string, k: Knex = db()): Promise<void> {
  await k.raw(`DELETE FROM workers WHERE id = ? OR heartbeat_at < NOW(3) - INTERVAL 1 DAY`, [id]);
}

export interface OnlineWorker {
  id: string;
  host: string;
  device: WorkerDevice;
  deviceName: string | null;
  queues: string[];
  concurrency: number;
  startedAt: Date;
  heartbeatAt: Date;
}

/** The workers whose heartbeat is recent, GPU workers first. */
export async function onlineWorkers(k: Knex = db()): Promise<OnlineWorker[]> {
  const [rows] = (await k.raw(
    `SELECT id, host, device, device_name, queues, concurrency, started_at, heartbeat_at FROM workers
     WHERE heartbeat_at > NOW(3) - INTERVAL ? SECOND ORDER BY device = 'cuda' DESC, host, id`,
    [WORKER_ONLINE_SECONDS],
  )) as unknown as [Record<string, unknown>[]];
  return rows.map((r) => ({
    id: String(r.id),
    host: String(r.host),
    device: r.device as WorkerDevice,
    deviceName: (r.device_name as string | null) ?? null,
    queues: (typeof r.queues === "string" ? JSON.parse(r.queues) : r.queues) as string[],
    concurrency: Number(r.concurrency),
    startedAt: new Date(r.started_at as string),
    heartbeatAt: new Date(r.heartbeat_at as string),
  }));
}

/** The queues an online GPU worker serves. */
export async function gpuQueues(k: Knex = db()): Promise<Set<string>> {
  return new Set((await onlineWorkers(k)).filter((w) => w.device === "cuda").flatMap((w) => w.queues));
}

/** Whether a GPU worker serving `queue` is online (a `require_gpu` job of it can start). */
export async function gpuOnline(queue: string, k: Knex = db()): Promise<boolean> {
  return (await gpuQueues(k)).has(queue);
}

/**
 * The SQL condition (on `jobs`) of the jobs a worker with this device may claim now. `gpuNames`:
 * the queues served by an online GPU worker (a CPU worker leaves their `prefer_gpu` jobs to it).
 */
export function claimableBy(device: WorkerDevice, gpuNames: Set<string>): { sql: string; bindings: string[][] } {
  if (device === "cuda") return { sql: "1 = 1", bindings: [] };
  if (!gpuNames.size) return { sql: "device IN ('any', 'prefer_gpu')", bindings: [] };
  return { sql: "(device = 'any' OR (device = 'prefer_gpu' AND name NOT IN (?)))", bindings: [[...gpuNames]] };
}
