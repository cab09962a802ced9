import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { JobEvent } from "./job-event.js";
import { taskStatus, type JobState, type TaskStatus } from "../../jobs/states.js";

/**
 * A row of the job queue. Reads only: every write goes through jobs/queue.ts, whose SQL
 * keeps the state machine, the locks and the event sequence consistent.
 */
export class Job extends BaseModel {
  static override tableName = "jobs";
  static override jsonAttributes = ["data", "output"];
  name!: string;
  state!: JobState;
  priority!: number;
  data!: unknown;
  output!: unknown;
  error!: string | null;
  retryLimit!: number;
  retryCount!: number;
  expireInMs!: number;
  singletonKey!: string | null;
  lockedBy!: string | null;
  userId!: number | null;
  groupId!: string | null;
  eventSeq!: number;
  startAfter!: Date;
  startedAt!: Date | null;
  heartbeatAt!: Date | null;
  completedAt!: Date | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["name", "state"],
    properties: {
      id: { type: "integer" },
      name: { type: "string", minLength: 1, maxLength: 120 },
      state: { type: "string", enum: ["created", "retry", "active", "completed", "cancelled", "failed"] },
      priority: { type: "integer" },
      userId: { type: ["integer", "null"] },
      groupId: { type: ["string", "null"], maxLength: 64 },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    events: {
      relation: BaseModel.HasManyRelation,
      modelClass: JobEvent,
      join: { from: "jobs.id", to: "job_events.job_id" },
    },
  });

  get status(): TaskStatus {
    return taskStatus(this.state);
  }

  /** What its owner may see of a job. */
  toPublic() {
    return {
      id: this.id,
      name: this.name,
      status: taskStatus(this.state),
      state: this.state,
      priority: this.priority,
      data: this.data,
      output: this.output,
      error: this.error,
      attempt: this.retryCount + 1,
      retryLimit: this.retryLimit,
      groupId: this.groupId,
      startAfter: this.startAfter,
      startedAt: this.startedAt,
      completedAt: this.completedAt,
      createdAt: this.createdAt,
    };
  }
}
