/**
 * What the domains need of a job's life, so that only jobs/ runs SQL on the jobs table:
 * - completing a job inside the caller's transaction, only while it is still this worker's and
 *   active (the domain's result and the job's completion commit together or not at all), and the
 *   explicit contract that tells the worker it happened (`completedInTransaction`);
 * - the status users see of a domain row (training run, test job, early-life task, energy model
 *   version, detection), derived from its job: PENDING / RUNNING / SUCCEEDED / FAILED / CANCELED.
 *   A row's own recorded outcome is read only once its job has been purged (job_id SET NULL).
 */
import type { Knex } from "knex";
import { db } from "../db/db.js";
import { env } from "../server/env.js";
import { Job } from "../db/models/job.js";
import * as queue from "./queue.js";
import { rowsOf } from "./rows.js";
import { statesFor, taskStatus, TASK_STATUSES, type JobState, type TaskStatus } from "./states.js";

/**
 * The queue name of a job of `kind` a domain enqueues: `<prefix><kind>`, with the prefix given or
 * else JOB_NAME_PREFIX, so that only a worker serving that prefix takes it.
 */
export function jobName(kind: string, prefix?: string): string {
  return `${prefix ?? env().JOB_NAME_PREFIX}${kind}`;
}

/** The job was cancelled, expired or released before the domain could store its result. */
export class JobNoLongerActive extends Error {}

export interface ActiveJob {
  id: number;
  workerId: string;
}

/**
 * Locks the job (FOR UPDATE) if it is still `active` and locked by `workerId`, then completes it
 * with `output` inside `trx`; throws JobNoLongerActive otherwise, so the caller's transaction
 * rolls back and keeps nothing. Call `lockIfActive` first in the transaction to make a cancel wait for the commit.
 */
export async function completeIfActive(trx: Knex.Transaction, job: ActiveJob, output: unknown = null): Promise<void> {
  await lockIfActive(trx, job);
  if (!(await queue.complete(job.id, job.workerId, output, trx)))
    throw new JobNoLongerActive(`job ${job.id} is no longer active`);
}

/** Locks the job (FOR UPDATE) if it is still `active` and `workerId`'s, else throws JobNoLongerActive. */
export async function lockIfActive(trx: Knex.Transaction, job: ActiveJob): Promise<void> {
  const locked = rowsOf(
    await trx.raw(`SELECT id FROM jobs WHERE id = ? AND locked_by = ? AND state = 'active' FOR UPDATE`, [
      job.id,
      job.workerId,
    ]),
  );
  if (!locked.length) throw new JobNoLongerActive(`job ${job.id} is no longer active`);
}

const IN_TRANSACTION = "__completedInTransaction";

/** What a handler returns after `completeIfActive` committed: the worker then does not complete the job again. */
export interface CompletedInTransaction {
  [IN_TRANSACTION]: true;
  output: unknown;
}

export function completedInTransaction(output: unknown): CompletedInTransaction {
  return { [IN_TRANSACTION]: true, output };
}

export function isCompletedInTransaction(v: unknown): v is CompletedInTransaction {
  return typeof v === "object" && v !== null && (v as Record<string, unknown>)[IN_TRANSACTION] === true;
}

/**
 * The worker's side of a handler's return: a plain output completes the job (guarded by state);
 * `completedInTransaction` must find the job completed already. Returns a line to log when the
 * outcome was not recorded as the handler meant (null when it was): a cancelled or expired job
 * keeps its state, and a handler that claims a completion that did not happen is a bug, said aloud.
 */
export async function settleHandlerResult(jobId: number, workerId: string, result: unknown): Promise<string | null> {
  if (isCompletedInTransaction(result)) {
    const now = await queue.getJob(jobId);
    if (now?.state === "completed") return null;
    if (now?.state === "active" && now.lockedBy === workerId) {
      await queue.fail(
        jobId,
        workerId,
        new Error("the handler said it completed the job in its transaction, but the job is still active"),
      );
      return `job ${jobId}: the handler claimed an in-transaction completion that did not happen; the job is failed`;
    }
    return `job ${jobId} is ${now?.state ?? "gone"}: its result was not recorded`;
  }
  if (await queue.complete(jobId, workerId, result ?? null)) return null;
  const now = await queue.getJob(jobId);
  return `job ${jobId} is ${now?.state ?? "gone"} (${now?.error ?? "no error"}), not this worker's: its handler's result was not recorded`;
}

// ------------------------------------------------------------------ status users see

export interface JobSummary {
  id: number;
  state: JobState;
  status: TaskStatus;
  error: string | null;
  retryCount: number;
  startedAt: Date | null;
  completedAt: Date | null;
}

/** The caller's jobs among `ids` (no locking), by id. Another user's job is never returned. */
export async function jobSummaries(
  userId: number,
  ids: readonly (number | null)[],
  k: Knex = db(),
): Promise<Map<number, JobSummary>> {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  if (!wanted.length) return new Map();
  const rows = rowsOf(
    await k.raw(
      `SELECT id, state, error, retry_count, started_at, completed_at FROM jobs WHERE user_id = ? AND id IN (?)`,
      [userId, wanted],
    ),
  );
  return new Map(
    rows.map((r) => {
      const state = r.state as JobState;
      return [
        Number(r.id),
        {
          id: Number(r.id),
          state,
          status: taskStatus(state),
          error: r.error ?? null,
          retryCount: Number(r.retryCount),
          startedAt: r.startedAt ?? null,
          completedAt: r.completedAt ?? null,
        },
      ];
    }),
  );
}

const FINAL: readonly TaskStatus[] = ["SUCCEEDED", "FAILED", "CANCELED"];

export function isTaskStatus(s: unknown): s is TaskStatus {
  return (TASK_STATUSES as readonly unknown[]).includes(s);
}

/**
 * The one rule for a domain row's status: its job's, while the job exists. Once the job has been
 * purged, the row's recorded final outcome; a row whose job vanished without one reads FAILED.
 */
export function rowStatus(job: { state: JobState } | undefined, recorded: string | null | undefined): TaskStatus {
  if (job) return taskStatus(job.state);
  return isTaskStatus(recorded) && FINAL.includes(recorded) ? recorded : "FAILED";
}

// ------------------------------------------------------------------ a user's jobs

/** The user's job, or null (another user's job is null too). */
export async function findUserJob(userId: number, id: number): Promise<Job | null> {
  return (await Job.query().findOne({ id, userId })) ?? null;
}

export interface JobFilter {
  status?: TaskStatus;
  name?: string;
  groupId?: string;
  limit?: number;
  /** Keyset pagination: jobs with a smaller id than this. */
  beforeId?: number;
}

/** The user's jobs, newest first. */
export async function listUserJobs(userId: number, f: JobFilter = {}): Promise<Job[]> {
  const q = Job.query()
    .where("userId", userId)
    .orderBy("id", "desc")
    .limit(f.limit ?? 50);
  if (f.status) q.whereIn("state", statesFor(f.status));
  if (f.name) q.where("name", f.name);
  if (f.groupId) q.where("groupId", f.groupId);
  if (f.beforeId) q.where("id", "<", f.beforeId);
  return q;
}

/**
 * Public views of domain rows with the status users see (rowStatus) and, where the row kept no
 * error of its own, its job's (an expiry's reason, say). Jobs are read in one query.
 */
export async function withJobStatus<R extends { jobId: number | null; status: string; error?: string | null }>(
  userId: number,
  views: R[],
): Promise<(Omit<R, "status"> & { status: TaskStatus })[]> {
  const jobs = await jobSummaries(
    userId,
    views.map((v) => v.jobId),
  );
  return views.map((v) => {
    const job = v.jobId === null ? undefined : jobs.get(v.jobId);
    const status = rowStatus(job, v.status);
    return "error" in v
      ? { ...v, status, error: v.error ?? (status === "FAILED" ? (job?.error ?? null) : null) }
      : { ...v, status };
  });
}
