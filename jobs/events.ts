/**
 * Reading a job's (or a job group's) events with resume: everything after a cursor from the
 * database, then new ones as they land (polled: MySQL has no LISTEN/NOTIFY). Access checks are
 * the caller's (server/services/jobs.ts); every query here is scoped to `userId` as well.
 */
import { db } from "../db/db.js";
import type { EventType } from "./queue.js";
import { rowsOf, parseJson, type Row } from "./rows.js";
import { isFinal, taskStatus, type JobState, type TaskStatus } from "./states.js";

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

/** Either one job or one group, never both. */
export type EventSource = { jobId: number; groupId?: undefined } | { groupId: string; jobId?: undefined };

export interface EventCursor {
  lastId: number;
  seqs: Map<number, number>;
}

export class BadCursor extends Error {}

/**
 * The resume cursor. For one job it is the last event's id: a job's events are written under its
 * row lock, so their ids commit in order and `id > cursor` misses nothing. Jobs of a group are
 * written by different workers at once, so ids of two jobs may commit out of order; a group's
 * cursor is therefore the last seq seen per job: "g:<jobId>.<seq>_<jobId>.<seq>".
 */
export function parseCursor(source: EventSource, raw: string | null | undefined): EventCursor {
  const seqs = new Map<number, number>();
  if (!raw) return { lastId: 0, seqs };
  if (source.jobId !== undefined && /^\d{1,18}$/.test(raw)) return { lastId: Number(raw), seqs };
  if (source.groupId !== undefined && /^g:(\d+\.\d+(_\d+\.\d+)*)?$/.test(raw)) {
    for (const part of raw.slice(2).split("_").filter(Boolean)) {
      const [j, s] = part.split(".").map(Number);
      seqs.set(j, s);
    }
    return { lastId: 0, seqs };
  }
  throw new BadCursor("lastEventId is not a cursor of this stream");
}

const groupCursor = (seqs: Map<number, number>) =>
  "g:" +
  [...seqs]
    .sort((a, b) => a[0] - b[0])
    .map(([j, s]) => `${j}.${s}`)
    .join("_");

function toEvent(r: Row): JobStreamEvent {
  const payload = parseJson(r.payload) as any;
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

/** Whether the user owns the job, or at least one job of the group. */
export async function ownsSource(userId: number, source: EventSource): Promise<boolean> {
  const [r] = rowsOf(
    await db().raw(
      `SELECT id FROM jobs WHERE user_id = ? AND ${source.jobId !== undefined ? "id = ?" : "group_id = ?"} LIMIT 1`,
      [userId, (source.jobId ?? source.groupId)!],
    ),
  );
  return !!r;
}

/** A stream ends this long after all its jobs have finished (late log lines of a stopping handler still arrive). */
const SETTLE_MS = 3000;

/**
 * The events after `cursor`, then new ones as they land, each with the cursor that resumes after it.
 * Ends once every job of the source has finished and settled, or when `signal` fires.
 */
export async function* readEvents(
  userId: number,
  source: EventSource,
  cursor: EventCursor,
  opts: { signal?: AbortSignal; pollMs?: number } = {},
): AsyncGenerator<{ cursor: string; event: JobStreamEvent }> {
  const k = db();
  const { signal } = opts;
  const pollMs = opts.pollMs ?? 300;
  let { lastId } = cursor;
  const seqs = new Map(cursor.seqs);
  while (!signal?.aborted) {
    // Jobs first, events second: a job seen settled here has all its events committed already.
    const jobs = rowsOf(
      await k.raw(
        `SELECT id, state, (completed_at IS NOT NULL AND completed_at < NOW(3) - INTERVAL ? MICROSECOND) AS settled
         FROM jobs WHERE user_id = ? AND ${source.jobId !== undefined ? "id = ?" : "group_id = ?"}`,
        [SETTLE_MS * 1000, userId, (source.jobId ?? source.groupId)!],
      ),
    );
    let rows: Row[];
    if (source.jobId !== undefined) {
      rows = jobs.length
        ? rowsOf(
            await k.raw(`SELECT * FROM job_events WHERE job_id = ? AND id > ? ORDER BY id LIMIT 1000`, [
              source.jobId,
              lastId,
            ]),
          )
        : [];
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
      const event = toEvent(r);
      if (source.jobId !== undefined) {
        lastId = event.id;
        yield { cursor: String(event.id), event };
      } else {
        // A job's rows arrive in seq order; skip anything already seen (never happens without races).
        if (event.seq <= (seqs.get(event.jobId) ?? 0)) continue;
        seqs.set(event.jobId, event.seq);
        yield { cursor: groupCursor(seqs), event };
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
