/**
 * Job states (pg-boss) and the task statuses users see. Pure module: safe in the browser bundle.
 *
 * The order means something: a state before `active` is waiting, after it is final.
 */
export const JOB_STATES = Object.freeze(["created", "retry", "active", "completed", "cancelled", "failed"] as const);
export type JobState = (typeof JOB_STATES)[number];

export const WAITING_STATES: readonly JobState[] = Object.freeze(JOB_STATES.slice(0, JOB_STATES.indexOf("active")));
export const FINAL_STATES: readonly JobState[] = Object.freeze(JOB_STATES.slice(JOB_STATES.indexOf("active") + 1));

export function isWaiting(s: JobState): boolean {
  return JOB_STATES.indexOf(s) < JOB_STATES.indexOf("active");
}
export function isFinal(s: JobState): boolean {
  return JOB_STATES.indexOf(s) > JOB_STATES.indexOf("active");
}

export const TASK_STATUSES = Object.freeze(["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED"] as const);
export type TaskStatus = (typeof TASK_STATUSES)[number];

const STATUS_OF: Readonly<Record<JobState, TaskStatus>> = Object.freeze({
  created: "PENDING",
  retry: "PENDING",
  active: "RUNNING",
  completed: "SUCCEEDED",
  failed: "FAILED",
  cancelled: "CANCELED",
});

/** The one mapping from job states to what users see. */
export function taskStatus(state: JobState): TaskStatus {
  return STATUS_OF[state];
}

/** The job states behind a task status (for filters). */
export function statesFor(status: TaskStatus): JobState[] {
  return JOB_STATES.filter((s) => STATUS_OF[s] === status);
}
