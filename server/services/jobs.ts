/**
 * Jobs as their owners see them: read, list, cancel, and follow their events live.
 * Every query is scoped to the caller; another user's job is NOT_FOUND.
 */
import { TRPCError } from "@trpc/server";
import { tracked } from "@trpc/server";
import { Job } from "../../db/models/job.js";
import { db } from "../../db/db.js";
import * as queue from "../../jobs/queue.js";
import { isFinal, statesFor, taskStatus, type JobState, type TaskStatus } from "../../jobs/states.js";
import type { EventType } from "../../jobs/queue.js";

export type PublicJob = ReturnType<Job["toPublic"]>;

async function ownJob(userId: number, id: number): Promise<Job> {
  const job = await Job.query().findOne({ id, userId });
  if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `Job ${id} not found` });
  return job;
}

export async function getJob(userId: number, id: number): Promise<PublicJob> {
  return (await ownJob(userId, id)).toPublic();
}

export interface ListJobsInput {
  status?: TaskStatus;
  name?: string;
  groupId?: string;
  limit?: number;
  /** Keyset pagination: jobs with a smaller id than this. */
  beforeId?: number;
}

export async function listJobs(userId: number, input: ListJobsInput = {}): Promise<PublicJob[]> {
  const q = Job.query().where("userId", userId).orderBy("id", "desc").limit(input.limit ?? 50);
  if (input.status) q.whereIn("state", statesFor(input.status));
  if (input.name) q.where("name", input.name);
  if (input.groupId) q.where("groupId", input.groupId);
  if (input.beforeId) q.where("id", "<", input.beforeId);
  return (await q).map((j) => j.toPublic());
}

/** Cancels the caller's waiting or running job. A finished job cannot be cancelled (CONFLICT). */
export async function cancelJob(userId: number, id: number): Promise<PublicJob> {
  const job = await ownJob(userId, id);
  if (!(await queue.cancel(id, { userId }))) {
    const now = await ownJob(userId, id);
    if (isFinal(now.state)) {
      throw new TRPCError({ code: "CONFLICT", message: `Job ${id} has already finished (${taskStatus(now.state)})` });
    }
  }
  return (await Job.query().findById(job.id))!.toPublic();
}

// ---------------------------------------------------------------- live events

export interface JobStreamEvent {
  /** Global event id (job_events.id). */
  id: number;
  jobId: number;
  /** Position in the job's own sequence (1, 2, …, gapless). */
  seq: number;
  type: EventType;
  payload: any;
  createdAt: Date;
  /** For `status` events: the task status users see. */
  status: TaskStatus | null;
}

export interface EventStreamInput {
  jobId?: number;
  groupId?: string;
  lastEventId?: string | null;
}

/**
 * The resume cursor (tRPC's lastEventId). For one job it is the last event's id: a job's events
 * are written under its row lock, so their ids commit in order and `id > cursor` misses nothing.
 * Jobs of a group are written by different workers at once, so ids of two jobs may commit out
 * of order; a group's cursor is therefore the last seq seen per job: "g:<jobId>.<seq>_<jobId>.<seq>".
 */
function parseCursor(input: EventStreamInput): { lastId: number; seqs: Map<number, number> } {
  const raw = input.lastEventId ?? "";
  const seqs = new Map<number, number>();
  if (!raw) return { lastId: 0, seqs };
  if (input.jobId !== undefined && /^\d{1,18}$/.test(raw)) return { lastId: Number(raw), seqs };
  if (input.groupId !== undefined && /^g:(\d+\.\d+(_\d+\.\d+)*)?$/.test(raw)) {
    for (const part of raw.slice(2).split("_").filter(Boolean)) {
      const [j, s] = part.split(".").map(Number);
      seqs.set(j, s);
    }
    return { lastId: 0, seqs };
  }
  throw new TRPCError({ code: "BAD_REQUEST", message: "lastEventId is not a cursor of this stream" });
}

const groupCursor = (seqs: Map<number, number>) =>
  "g:" + [...seqs].sort((a, b) => a[0] - b[0]).map(([j, s]) => `${j}.${s}`).join("_");

type Row = Record<string, any>;
const camel = (k: string) => k.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());
const rowsOf = (r: unknown): Row[] =>
  (r as [Row[]])[0].map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [camel(k), v])));

function toEvent(r: Row): JobStreamEvent {
  const payload = typeof r.payload === "string" ? JSON.parse(r.payload) : r.payload;
  return {
    id: Number(r.id),
    jobId: Number(r.jobId),
    seq: Number(r.seq),
    type: r.type,
    payload,
    createdAt: new Date(r.createdAt),
    status: r.type === "status" && payload?.state ? taskStatus(payload.state as JobState) : null,
  };
}

/** A stream ends this long after all its jobs have finished (late log lines of a stopping handler still arrive). */
const SETTLE_MS = 3000;

/**
 * Checks access (NOT_FOUND for a foreign or missing job/group), then returns the live stream:
 * first every event after `lastEventId` from the database, then new ones as they land (polled:
 * MySQL has no LISTEN/NOTIFY), each as `tracked(cursor, event)`. Status changes arrive as
 * `status` events. The stream ends once every job of it has finished and settled.
 */
export async function openEventStream(userId: number, input: EventStreamInput, opts: { signal?: AbortSignal; pollMs?: number } = {}) {
  if ((input.jobId === undefined) === (input.groupId === undefined)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Give either jobId or groupId" });
  }
  if (input.jobId !== undefined) await ownJob(userId, input.jobId);
  else if (!(await Job.query().findOne({ groupId: input.groupId, userId }))) {
    throw new TRPCError({ code: "NOT_FOUND", message: `Job group ${input.groupId} not found` });
  }
  const cursor = parseCursor(input);
  return streamEvents(userId, input, cursor, opts.signal, opts.pollMs ?? 300);
}

async function* streamEvents(
  userId: number,
  input: EventStreamInput,
  cursor: { lastId: number; seqs: Map<number, number> },
  signal: AbortSignal | undefined,
  pollMs: number,
) {
  const k = db();
  let { lastId } = cursor;
  const seqs = cursor.seqs;
  while (!signal?.aborted) {
    // Jobs first, events second: a job seen settled here has all its events committed already.
    const jobs = rowsOf(
      await k.raw(
        `SELECT id, state, (completed_at IS NOT NULL AND completed_at < NOW(3) - INTERVAL ? MICROSECOND) AS settled
         FROM jobs WHERE user_id = ? AND ${input.jobId !== undefined ? "id = ?" : "group_id = ?"}`,
        [SETTLE_MS * 1000, userId, (input.jobId ?? input.groupId)!],
      ),
    );
    let rows: Row[];
    if (input.jobId !== undefined) {
      rows = rowsOf(await k.raw(`SELECT * FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT 1000`, [input.jobId, lastId]));
    } else if (jobs.length) {
      const where = jobs.map(() => "(job_id = ? AND seq > ?)").join(" OR ");
      rows = rowsOf(
        await k.raw(
          `SELECT * FROM job_events WHERE ${where} ORDER BY id LIMIT 1000`,
          jobs.flatMap((j) => [Number(j.id), seqs.get(Number(j.id)) ?? 0]),
        ),
      );
    } else rows = [];
    for (const r of rows) {
      const ev = toEvent(r);
      if (input.jobId !== undefined) {
        lastId = ev.id;
        yield tracked(String(ev.id), ev);
      } else {
        // A job's rows arrive in seq order; skip anything already seen (never happens without races).
        if (ev.seq <= (seqs.get(ev.jobId) ?? 0)) continue;
        seqs.set(ev.jobId, ev.seq);
        yield tracked(groupCursor(seqs), ev);
      }
    }
    if (rows.length === 1000) continue;
    if (!jobs.length || (rows.length === 0 && jobs.every((j) => Number(j.settled) === 1 && isFinal(j.state)))) return;
    await new Promise<void>((resolve) => {
      const onAbort = () => (clearTimeout(t), resolve());
      const t = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), pollMs);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
  }
}
