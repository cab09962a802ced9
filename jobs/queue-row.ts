/**
 * A job row as the queue reads it, and the `status` event every change of state appends: shared
 * by the queue's operations (queue.ts) and its claim (queue-claim.ts).
 */
import type { Knex } from "knex";
import { parseJson, type Row } from "./rows.js";
import type { JobState } from "./states.js";
import type { JobDevice } from "./placement.js";

export interface JobRow {
  id: number;
  name: string;
  state: JobState;
  priority: number;
  data: unknown;
  output: unknown;
  error: string | null;
  retryLimit: number;
  retryCount: number;
  expireInMs: number;
  singletonKey: string | null;
  device: JobDevice;
  lockedBy: string | null;
  userId: number | null;
  groupId: string | null;
  startAfter: Date;
  startedAt: Date | null;
  heartbeatAt: Date | null;
  completedAt: Date | null;
  createdAt: Date;
}

export function toJobRow(r: Row): JobRow {
  return { ...(r as unknown as JobRow), data: parseJson(r.data), output: parseJson(r.output) };
}

/**
 * Appends one `status` event per job in `ids`, with the row's new state. Runs inside the
 * caller's transaction, after the caller's UPDATE bumped event_seq on those (X-locked) rows,
 * so each job's events get their seq and id in order.
 */
export async function statusEvents(
  trx: Knex.Transaction,
  ids: number[],
  extra: Record<string, string> = {},
): Promise<void> {
  if (!ids.length) return;
  const extraSql = Object.keys(extra)
    .map((k) => `, '${k}', ?`)
    .join("");
  await trx.raw(
    `INSERT INTO job_events (job_id, seq, type, payload)
     SELECT id, event_seq, 'status', JSON_OBJECT('state', state, 'retryCount', retry_count, 'lockedBy', locked_by,
       'error', error, 'startAfter', DATE_FORMAT(start_after, '%Y-%m-%dT%H:%i:%s.%fZ')${extraSql})
     FROM jobs WHERE id IN (?)`,
    [...Object.values(extra), ids],
  );
}
