/**
 * Handlers by job name. Handler modules call `registerHandler` at import time
 * (jobs/handlers/index.ts imports them all); the worker runs whatever is registered.
 */
import type { JobRow } from "./queue.js";

export interface JobContext<D = unknown> {
  /** The job's data, as sent. */
  data: D;
  jobId: number;
  /** 1 for the first run, 2 for the first retry, … */
  attempt: number;
  workerId: string;
  /** Appends a log line to the job's events. */
  log(message: string, level?: "debug" | "info" | "warn" | "error"): Promise<void>;
  /** Appends a metric record (e.g. { epoch: 3, loss: 0.12 }). */
  metric(values: Record<string, unknown>): Promise<void>;
  /** Appends a progress counter (e.g. progress(3, 100, { phase: "train" })). */
  progress(done: number, total: number, extra?: Record<string, unknown>): Promise<void>;
  /** Whether the job was cancelled (or taken from this worker): one primary-key read. */
  isCancelled(): Promise<boolean>;
  /** Fires when the job is cancelled (seen at the next heartbeat) or the worker shuts down. */
  signal: AbortSignal;
  /** What the worker runs models on (jobs/placement.ts): a GPU worker trains on `cuda`. Default cpu. */
  device?: "cpu" | "cuda";
}

/** Returning a value stores it as the job's `output` (JSON). Throwing fails the job (with retries). */
export type JobHandler<D = any> = (job: JobRow & { data: D }, ctx: JobContext<D>) => Promise<unknown>;

const handlers = new Map<string, JobHandler>();

export function registerHandler<D = any>(name: string, handler: JobHandler<D>): void {
  if (!/^[a-z0-9_.-]+$/i.test(name)) throw new Error(`invalid job name "${name}"`);
  if (handlers.has(name)) throw new Error(`a handler for "${name}" is already registered`);
  handlers.set(name, handler as JobHandler);
}

export function getHandler(name: string): JobHandler | undefined {
  return handlers.get(name);
}

export function handlerNames(): string[] {
  return [...handlers.keys()];
}
