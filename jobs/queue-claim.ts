/**
 * Claiming waiting jobs for a worker (`fetch`, re-exported by queue.ts): users take turns among
 * jobs of equal priority, and a worker takes only the jobs its device may run (placement.ts).
 */
import type { Knex } from "knex";
import { db } from "../db/db.js";
import { rowsOf } from "./rows.js";
import { statusEvents, toJobRow, type JobRow } from "./queue-row.js";
import { claimableBy, gpuQueues, type WorkerDevice } from "./placement.js";

export type ClaimPolicy = "fair" | "fifo";

/**
 * Claims up to `limit` waiting jobs whose start time has come, for `workerId`.
 *
 * Order ("fair", the default): the highest waiting priority first; among users with waiting jobs
 * of that priority, the one with the fewest running jobs, then the one whose last job started
 * longest ago (never, or over an hour ago: first), then the oldest waiting job. Slots are handed out one at a time in
 * that order, so users take turns: one user's 50 queued tasks delay another user's single task by
 * at most the jobs already running. Within one user, jobs run by priority, then in id order.
 * "fifo" (priority, then id across everyone) is kept for the fairness bench's comparison.
 *
 * Locking: one READ COMMITTED transaction. Two plain reads (waiting jobs per user; running jobs
 * and last start per user) decide how many jobs to take from each user; then, per user,
 * `SELECT … FOR UPDATE SKIP LOCKED` walks (waiting, user_id, priority DESC, id) and X-locks the
 * rows it returns, skipping rows other claimers hold; the UPDATE to `active` runs on rows this
 * transaction owns. Two workers therefore never claim the same job, and never wait on each other.
 */
export async function fetch(
  names: string[],
  limit: number,
  workerId: string,
  k: Knex = db(),
  policy: ClaimPolicy = "fair",
  device: WorkerDevice = "cpu",
): Promise<JobRow[]> {
  if (!names.length || limit < 1) return [];
  // Which jobs this worker's device may take now (jobs/placement.ts), read before the claim.
  const can = claimableBy(device, device === "cuda" ? new Set() : await gpuQueues(k));
  return k.transaction(
    async (trx) => {
      const ids = policy === "fifo" ? await claimFifo(trx, names, limit, can) : await claimFair(trx, names, limit, can);
      if (!ids.length) return [];
      await trx.raw(
        `UPDATE jobs SET state = 'active', locked_by = ?, started_at = NOW(3), heartbeat_at = NOW(3),
           event_seq = event_seq + 1, updated_at = NOW(3)
         WHERE id IN (?)`,
        [workerId, ids],
      );
      await statusEvents(trx, ids);
      const rows = rowsOf(await trx.raw(`SELECT * FROM jobs WHERE id IN (?) ORDER BY priority DESC, id`, [ids]));
      return rows.map(toJobRow);
    },
    { isolationLevel: "read committed" },
  );
}

type Claimable = ReturnType<typeof claimableBy>;

async function claimFifo(trx: Knex.Transaction, names: string[], limit: number, can: Claimable): Promise<number[]> {
  return rowsOf(
    await trx.raw(
      `SELECT id FROM jobs
       WHERE waiting = 1 AND start_after <= NOW(3) AND name IN (?) AND ${can.sql}
       ORDER BY priority DESC, id
       LIMIT ? FOR UPDATE SKIP LOCKED`,
      [names, ...can.bindings, limit],
    ),
  ).map((r) => Number(r.id));
}

interface UserTurn {
  userId: number | null;
  priority: number;
  waiting: number;
  firstId: number;
  active: number;
  lastStart: number;
  take: number;
}

/** How many jobs to take from each user: one slot at a time to whoever comes first (see fetch). */
export function allocateTurns(users: UserTurn[], limit: number, now = Date.now()): UserTurn[] {
  const before = (a: UserTurn, b: UserTurn) =>
    b.priority - a.priority || a.active - b.active || a.lastStart - b.lastStart || a.firstId - b.firstId;
  for (let slot = 0; slot < limit; slot++) {
    const open = users.filter((u) => u.take < u.waiting);
    if (!open.length) break;
    const next = open.reduce((best, u) => (before(u, best) < 0 ? u : best));
    next.take += 1;
    next.active += 1;
    next.lastStart = now + slot; // later slots count as later starts
  }
  return users.filter((u) => u.take > 0).sort(before);
}

async function claimFair(trx: Knex.Transaction, names: string[], limit: number, can: Claimable): Promise<number[]> {
  const waiting = rowsOf(
    await trx.raw(
      `SELECT user_id, MAX(priority) AS priority, COUNT(*) AS waiting, MIN(id) AS first_id FROM jobs
       WHERE waiting = 1 AND start_after <= NOW(3) AND name IN (?) AND ${can.sql} GROUP BY user_id`,
      [names, ...can.bindings],
    ),
  );
  if (!waiting.length) return [];
  // One user (or only system jobs) waiting: no turns to take, claim in that user's order.
  if (waiting.length === 1)
    return claimOfUser(trx, names, waiting[0]!.userId === null ? null : Number(waiting[0]!.userId), limit, can);
  const userIds = waiting
    .map((w) => w.userId)
    .filter((u) => u !== null)
    .map(Number);
  const hasSystem = waiting.some((w) => w.userId === null);
  // Running jobs per user (the (state, heartbeat_at) index: active rows only) and each waiting
  // user's latest start within the hour (the (user_id, created_at) index: a job starts after it is created).
  const history = new Map<number | null, { active: number; lastStart: number }>();
  const entry = (u: unknown) => {
    const key = u === null ? null : Number(u);
    if (!history.has(key)) history.set(key, { active: 0, lastStart: 0 });
    return history.get(key)!;
  };
  for (const r of rowsOf(
    await trx.raw(`SELECT user_id, COUNT(*) AS n FROM jobs WHERE state = 'active' GROUP BY user_id`),
  ))
    entry(r.userId).active = Number(r.n);
  const recent = `started_at IS NOT NULL AND created_at > NOW(3) - INTERVAL 1 HOUR`;
  const starts = [
    ...(userIds.length
      ? rowsOf(
          await trx.raw(
            `SELECT user_id, MAX(started_at) AS last_start FROM jobs WHERE user_id IN (?) AND ${recent} GROUP BY user_id`,
            [userIds],
          ),
        )
      : []),
    ...(hasSystem
      ? rowsOf(
          await trx.raw(
            `SELECT NULL AS user_id, MAX(started_at) AS last_start FROM jobs WHERE user_id IS NULL AND ${recent}`,
          ),
        )
      : []),
  ];
  for (const r of starts) if (r.lastStart) entry(r.userId).lastStart = new Date(r.lastStart as string).getTime();
  const turns = allocateTurns(
    waiting.map((w) => {
      const userId = w.userId === null ? null : Number(w.userId);
      const h = history.get(userId);
      return {
        userId,
        priority: Number(w.priority),
        waiting: Number(w.waiting),
        firstId: Number(w.firstId),
        active: h?.active ?? 0,
        lastStart: h?.lastStart ?? 0,
        take: 0,
      };
    }),
    limit,
  );
  const ids: number[] = [];
  for (const t of turns) ids.push(...(await claimOfUser(trx, names, t.userId, t.take, can)));
  return ids;
}

async function claimOfUser(
  trx: Knex.Transaction,
  names: string[],
  userId: number | null,
  limit: number,
  can: Claimable,
): Promise<number[]> {
  return rowsOf(
    await trx.raw(
      `SELECT id FROM jobs
       WHERE waiting = 1 AND user_id <=> ? AND start_after <= NOW(3) AND name IN (?) AND ${can.sql}
       ORDER BY priority DESC, id
       LIMIT ? FOR UPDATE SKIP LOCKED`,
      [userId, names, ...can.bindings, limit],
    ),
  ).map((r) => Number(r.id));
}
