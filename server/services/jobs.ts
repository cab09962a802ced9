/**
 * Jobs as their owners see them: read, list, cancel, and follow their events live.
 * Every query is scoped to the caller; another user's job is NOT_FOUND. The SQL lives in jobs/.
 */
import { TRPCError, tracked } from "@trpc/server";
import type { Job } from "../../db/models/job.js";
import * as queue from "../../jobs/queue.js";
import { BadCursor, ownsSource, parseCursor, readEvents, type EventSource } from "../../jobs/events.js";
import { findUserJob, listUserJobs, type JobFilter } from "../../jobs/lifecycle.js";
import { isFinal, taskStatus } from "../../jobs/states.js";

export type { JobStreamEvent } from "../../jobs/events.js";
export type PublicJob = ReturnType<Job["toPublic"]>;
export type ListJobsInput = JobFilter;

async function ownJob(userId: number, id: number): Promise<Job> {
  const job = await findUserJob(userId, id);
  if (!job) throw new TRPCError({ code: "NOT_FOUND", message: `Job ${id} not found` });
  return job;
}

export async function getJob(userId: number, id: number): Promise<PublicJob> {
  return (await ownJob(userId, id)).toPublic();
}

export async function listJobs(userId: number, input: ListJobsInput = {}): Promise<PublicJob[]> {
  return (await listUserJobs(userId, input)).map((j) => j.toPublic());
}

/** Cancels the caller's waiting or running job. A finished job cannot be cancelled (CONFLICT). */
export async function cancelJob(userId: number, id: number): Promise<PublicJob> {
  await ownJob(userId, id);
  if (!(await queue.cancel(id, { userId }))) {
    const now = await ownJob(userId, id);
    if (isFinal(now.state)) {
      throw new TRPCError({ code: "CONFLICT", message: `Job ${id} has already finished (${taskStatus(now.state)})` });
    }
  }
  return (await ownJob(userId, id)).toPublic();
}

// ---------------------------------------------------------------- live events

export interface EventStreamInput {
  jobId?: number;
  groupId?: string;
  lastEventId?: string | null;
}

/**
 * Checks access (NOT_FOUND for a foreign or missing job/group), then returns the live stream
 * (jobs/events.ts readEvents) as `tracked(cursor, event)`: first every event after `lastEventId`,
 * then new ones as they land. Status changes arrive as `status` events. The stream ends once
 * every job of it has finished and settled.
 */
export async function openEventStream(
  userId: number,
  input: EventStreamInput,
  opts: { signal?: AbortSignal; pollMs?: number } = {},
) {
  if ((input.jobId === undefined) === (input.groupId === undefined)) {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Give either jobId or groupId" });
  }
  const source: EventSource = input.jobId !== undefined ? { jobId: input.jobId } : { groupId: input.groupId! };
  if (!(await ownsSource(userId, source))) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: input.jobId !== undefined ? `Job ${input.jobId} not found` : `Job group ${input.groupId} not found`,
    });
  }
  let cursor;
  try {
    cursor = parseCursor(source, input.lastEventId);
  } catch (e) {
    if (e instanceof BadCursor) throw new TRPCError({ code: "BAD_REQUEST", message: e.message });
    throw e;
  }
  return (async function* () {
    for await (const { cursor: c, event } of readEvents(userId, source, cursor, opts)) yield tracked(c, event);
  })();
}
