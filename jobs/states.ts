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

/**
 * What a task of several runs (one per algorithm) reads overall: everything users see on a
 * task's badge comes from here (the list, the task page, the live stream's view).
 * PARTLY_SUCCEEDED: some runs succeeded (their versions are in the library) and the others
 * failed or were cancelled; a task is CANCELED or FAILED only when no run succeeded.
 */
export const OVERALL_STATUSES = Object.freeze([...TASK_STATUSES, "PARTLY_SUCCEEDED"] as const);
export type OverallStatus = (typeof OVERALL_STATUSES)[number];

/** The one rule: running while any run runs, waiting while any waits, then by what succeeded. */
export function overallStatus(runs: readonly TaskStatus[]): OverallStatus {
  if (runs.includes("RUNNING")) return "RUNNING";
  if (runs.length === 0 || runs.includes("PENDING")) return "PENDING";
  const succeeded = runs.filter((s) => s === "SUCCEEDED").length;
  if (succeeded === runs.length) return "SUCCEEDED";
  if (succeeded > 0) return "PARTLY_SUCCEEDED";
  return runs.includes("FAILED") ? "FAILED" : "CANCELED";
}

/** Where a job may run (jobs/placement.ts): any worker, a GPU worker when one is online, or only a GPU worker. */
export const JOB_DEVICES = ["any", "prefer_gpu", "require_gpu"] as const;
export type JobDevice = (typeof JOB_DEVICES)[number];
