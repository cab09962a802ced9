/**
 * The job queue on a MySQL/MariaDB table, with pg-boss's states and semantics.
 * One small named function per operation; each says what it locks. Time is always the
 * database's (NOW(3)), so the clocks of many worker machines do not matter. Claiming (`fetch`,
 * users' turns) is in queue-claim.ts, the row shape and its status events in queue-row.ts; both
 * are re-exported here, so the rest of the code imports the queue from this file.
 *
 * Options of `send` (seconds, fractions allowed, like pg-boss):
 * - priority (default 0): higher runs first; equal priorities take turns across users (see
 *   fetch in queue-claim.ts), and run in id (FIFO) order within one user.
 * - startAfter: a number of seconds from now (database time) or a Date. The job is not
 *   fetched before then; it stays `created` (PENDING) until the time has come.
 * - retryLimit (default 2): how many times a failed or expired job is tried again. After
 *   that it is `failed` with its last error kept.
 * - retryDelay (default 0), retryBackoff (default true), retryDelayMax (default 3600):
 *   with backoff the n-th retry (n = 1, 2, …) waits retryDelay·2^(n-1) seconds, capped at
 *   retryDelayMax, with "equal jitter" (a random time between half and all of that), so
 *   that jobs failing together do not come back together. Without backoff: retryDelay flat.
 * - expireIn (default 60): an `active` job whose worker sent no heartbeat for this long is
 *   taken back (to `retry`, or `failed` when retries are spent). Workers heartbeat every
 *   WORKER_HEARTBEAT_MS, so expireIn must be a few heartbeats long.
 * - singletonKey: at most one job per (name, singletonKey) is waiting or running at a time.
 *   `send` returns null (and creates nothing) while one is `created`, `retry` or `active`;
 *   once it is completed, cancelled or failed the key is free again. Enforced by a unique
 *   index, so it holds under any concurrency.
 * - userId (null for system jobs) and groupId (several jobs followed as one event stream).
 */
import type { Knex } from "knex";
import { db } from "../db/db.js";
import { rowsOf } from "./rows.js";
import type { JobDevice } from "./placement.js";
import { statusEvents, toJobRow, type JobRow } from "./queue-row.js";

export { toJobRow, type JobRow } from "./queue-row.js";
export { allocateTurns, fetch, type ClaimPolicy } from "./queue-claim.js";

export interface SendOptions {
  priority?: number;
  startAfter?: number | Date;
  retryLimit?: number;
  retryDelay?: number;
  retryBackoff?: boolean;
  retryDelayMax?: number;
  expireIn?: number;
  singletonKey?: string | null;
  userId?: number | null;
  groupId?: string | null;
  /** Whether the job needs a GPU worker (jobs/placement.ts); default `any`. */
  device?: JobDevice;
}

export type EventType = "log" | "metric" | "progress" | "status";

const affected = (r: unknown): number => (r as [{ affectedRows: number }])[0].affectedRows;

const ms = (seconds: number) => Math.max(0, Math.round(seconds * 1000));

/**
 * The wait before the next retry, in microseconds, as SQL over the row's columns (read before
 * retry_count is incremented: the first retry uses 2^0).
 */
const RETRY_DELAY_US = `ROUND(1000 * IF(retry_backoff,
    LEAST(IF(retry_delay_max_ms > 0, retry_delay_max_ms, 3600000), retry_delay_ms * POW(2, retry_count)) * (0.5 + RAND() * 0.5),
    retry_delay_ms))`;

/**
 * Creates a job; returns its id, or null when `singletonKey` is taken.
 * Locking: an INSERT (the new row only); the unique index (name, singleton_on) decides races.
 */
export async function send(
  name: string,
  data: unknown = null,
  opts: SendOptions = {},
  k: Knex = db(),
): Promise<number | null> {
  const startAfter =
    opts.startAfter instanceof Date
      ? { sql: "?", arg: opts.startAfter as Date | number }
      : { sql: "NOW(3) + INTERVAL ? MICROSECOND", arg: ms(opts.startAfter ?? 0) * 1000 };
  try {
    return await k.transaction(async (trx) => {
      const res = await trx.raw(
        `INSERT INTO jobs (name, state, priority, data, retry_limit, retry_delay_ms, retry_backoff, retry_delay_max_ms,
           expire_in_ms, singleton_key, user_id, group_id, device, event_seq, start_after)
         VALUES (?, 'created', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ${startAfter.sql})`,
        [
          name,
          opts.priority ?? 0,
          JSON.stringify(data ?? null),
          opts.retryLimit ?? 2,
          ms(opts.retryDelay ?? 0),
          opts.retryBackoff ?? true,
          ms(opts.retryDelayMax ?? 3600),
          ms(opts.expireIn ?? 60),
          opts.singletonKey ?? null,
          opts.userId ?? null,
          opts.groupId ?? null,
          opts.device ?? "any",
          startAfter.arg,
        ],
      );
      const id = Number((res as [{ insertId: number }])[0].insertId);
      await statusEvents(trx, [id]);
      return id;
    });
  } catch (e) {
    if ((e as { code?: string }).code === "ER_DUP_ENTRY" && String((e as Error).message).includes("jobs_singleton_uq"))
      return null;
    throw e;
  }
}

/**
 * Marks a job completed and stores its output. Only a job still `active` and locked by
 * `workerId` changes (a cancelled, expired or released job keeps its state); returns whether it did.
 * Locking: a single-row UPDATE by primary key (X lock until commit).
 */
export async function complete(id: number, workerId: string, output: unknown = null, k: Knex = db()): Promise<boolean> {
  return k.transaction(async (trx) => {
    const n = affected(
      await trx.raw(
        `UPDATE jobs SET state = 'completed', output = ?, completed_at = NOW(3), event_seq = event_seq + 1, updated_at = NOW(3)
         WHERE id = ? AND locked_by = ? AND state = 'active'`,
        [JSON.stringify(output ?? null), id, workerId],
      ),
    );
    if (n) await statusEvents(trx, [id]);
    return n === 1;
  });
}

/**
 * The UPDATE assignments that send a job back to `retry` (with backoff) or to `failed` when
 * its retries are spent. retry_count is assigned last so every expression reads the old value
 * (whatever the server's assignment order).
 */
const RETRY_OR_FAIL_SET = `
  state = IF(retry_count < retry_limit, 'retry', 'failed'),
  start_after = IF(retry_count < retry_limit, NOW(3) + INTERVAL ${RETRY_DELAY_US} MICROSECOND, start_after),
  completed_at = IF(retry_count < retry_limit, NULL, NOW(3)),
  event_seq = event_seq + 1,
  updated_at = NOW(3),
  retry_count = IF(retry_count < retry_limit, retry_count + 1, retry_count)`;

/**
 * Records a failure: to `retry` after the backoff delay while retries remain, else `failed`.
 * The error message is kept on the row either way. Guarded like `complete`.
 * Locking: a single-row UPDATE by primary key.
 */
export async function fail(id: number, workerId: string, error: unknown, k: Knex = db()): Promise<boolean> {
  const message = errorMessage(error);
  return k.transaction(async (trx) => {
    const n = affected(
      await trx.raw(
        `UPDATE jobs SET error = ?, ${RETRY_OR_FAIL_SET} WHERE id = ? AND locked_by = ? AND state = 'active'`,
        [message, id, workerId],
      ),
    );
    if (n) await statusEvents(trx, [id]);
    return n === 1;
  });
}

export function errorMessage(e: unknown): string {
  const m = e instanceof Error ? e.message || e.name : typeof e === "string" ? e : JSON.stringify(e);
  return (m ?? "unknown error").slice(0, 10_000);
}

/**
 * Refreshes heartbeat_at of the worker's active jobs among `ids`, and returns the ids that are
 * no longer this worker's active jobs (cancelled, expired, released): their handlers should stop.
 * Locking: an UPDATE of the worker's own rows (short X locks), then a plain consistent read.
 */
export async function heartbeat(workerId: string, ids: number[], k: Knex = db()): Promise<number[]> {
  if (!ids.length) return [];
  await k.raw(`UPDATE jobs SET heartbeat_at = NOW(3) WHERE id IN (?) AND locked_by = ? AND state = 'active'`, [
    ids,
    workerId,
  ]);
  const still = new Set(
    rowsOf(
      await k.raw(`SELECT id FROM jobs WHERE id IN (?) AND locked_by = ? AND state = 'active'`, [ids, workerId]),
    ).map((r) => Number(r.id)),
  );
  return ids.filter((id) => !still.has(id));
}

/**
 * Whether a running job should stop: it was cancelled, or is no longer this worker's.
 * Locking: none (one primary-key read).
 */
export async function shouldStop(id: number, workerId: string, k: Knex = db()): Promise<boolean> {
  const [r] = rowsOf(await k.raw(`SELECT state, locked_by FROM jobs WHERE id = ?`, [id]));
  return !r || r.state !== "active" || r.lockedBy !== workerId;
}

/**
 * Cancels a waiting or running job (optionally only one owned by `userId`); returns whether it did.
 * A running handler learns it at its next `isCancelled()` or heartbeat (its `signal` fires).
 * Locking: a single-row UPDATE by primary key.
 */
export async function cancel(id: number, opts: { userId?: number } = {}, k: Knex = db()): Promise<boolean> {
  return k.transaction(async (trx) => {
    const owner = opts.userId === undefined ? "" : " AND user_id = ?";
    const n = affected(
      await trx.raw(
        `UPDATE jobs SET state = 'cancelled', completed_at = NOW(3), event_seq = event_seq + 1, updated_at = NOW(3)
         WHERE id = ? AND state IN ('created', 'retry', 'active')${owner}`,
        opts.userId === undefined ? [id] : [id, opts.userId],
      ),
    );
    if (n) await statusEvents(trx, [id]);
    return n === 1;
  });
}

/**
 * Gives a worker's running jobs back (graceful shutdown past its grace period): `retry`,
 * runnable now, without spending a retry. Locking: an UPDATE guarded like `complete`.
 */
export async function release(ids: number[], workerId: string, k: Knex = db()): Promise<number> {
  if (!ids.length) return 0;
  return k.transaction(async (trx) => {
    const mine = rowsOf(
      await trx.raw(`SELECT id FROM jobs WHERE id IN (?) AND locked_by = ? AND state = 'active' FOR UPDATE`, [
        ids,
        workerId,
      ]),
    ).map((r) => Number(r.id));
    if (!mine.length) return 0;
    await trx.raw(
      `UPDATE jobs SET state = 'retry', start_after = NOW(3), error = 'released: worker shut down',
         event_seq = event_seq + 1, updated_at = NOW(3)
       WHERE id IN (?)`,
      [mine],
    );
    await statusEvents(trx, mine);
    return mine.length;
  });
}

/**
 * Takes back active jobs whose heartbeat is older than their expireIn (their worker died or
 * hung): to `retry` with backoff, or `failed` when retries are spent. Returns how many.
 * Locking: READ COMMITTED, `FOR UPDATE SKIP LOCKED` on the expired rows, so concurrent
 * maintenance in many workers splits the work instead of repeating it.
 */
export async function expire(limit = 100, k: Knex = db()): Promise<number> {
  return k.transaction(
    async (trx) => {
      const ids = rowsOf(
        await trx.raw(
          `SELECT id FROM jobs
           WHERE state = 'active' AND heartbeat_at < NOW(3) - INTERVAL expire_in_ms * 1000 MICROSECOND
           LIMIT ? FOR UPDATE SKIP LOCKED`,
          [limit],
        ),
      ).map((r) => Number(r.id));
      if (!ids.length) return 0;
      await trx.raw(
        `UPDATE jobs SET error = CONCAT('expired: no heartbeat from ', COALESCE(locked_by, 'an unknown worker'), ' for ', ROUND(expire_in_ms / 1000, 1), ' s'),
           ${RETRY_OR_FAIL_SET}
         WHERE id IN (?)`,
        [ids],
      );
      await statusEvents(trx, ids);
      return ids.length;
    },
    { isolationLevel: "read committed" },
  );
}

/**
 * Deletes finished jobs (and, by cascade, their events) that finished more than
 * `olderThanSeconds` ago; at most `limit` rows per call. Returns how many.
 * Locking: a DELETE of final-state rows only, which no other operation updates.
 */
export async function purge(olderThanSeconds: number, limit = 1000, k: Knex = db()): Promise<number> {
  return affected(
    await k.raw(
      `DELETE FROM jobs WHERE state IN ('completed', 'cancelled', 'failed')
         AND completed_at < NOW(3) - INTERVAL ? SECOND
       LIMIT ?`,
      [Math.max(0, Math.floor(olderThanSeconds)), limit],
    ),
  );
}

export interface NewEvent {
  type: EventType;
  payload: unknown;
}

/**
 * Appends events to a job's log with consecutive per-job sequence numbers.
 * Locking: the job row's X lock (the event_seq bump) is held while the events are inserted,
 * so a job's events take their seq and their auto-increment id in the same order.
 */
export async function appendEvents(jobId: number, events: NewEvent[], k: Knex = db()): Promise<void> {
  if (!events.length) return;
  await k.transaction(async (trx) => {
    await trx.raw(`UPDATE jobs SET event_seq = event_seq + ? WHERE id = ?`, [events.length, jobId]);
    const [r] = rowsOf(await trx.raw(`SELECT event_seq FROM jobs WHERE id = ?`, [jobId]));
    if (!r) return;
    const first = Number(r.eventSeq) - events.length + 1;
    await trx.raw(
      `INSERT INTO job_events (job_id, seq, type, payload) VALUES ${events.map(() => "(?, ?, ?, ?)").join(", ")}`,
      events.flatMap((e, i) => [jobId, first + i, e.type, JSON.stringify(e.payload ?? null)]),
    );
  });
}

/** One job by id (no locking). */
export async function getJob(id: number, k: Knex = db()): Promise<JobRow | null> {
  const [r] = rowsOf(await k.raw(`SELECT * FROM jobs WHERE id = ?`, [id]));
  return r ? toJobRow(r) : null;
}
