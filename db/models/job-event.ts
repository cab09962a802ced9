import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

/** An append-only event of a job: a log line, a metric record, a progress counter or a state change. */
export class JobEvent extends BaseModel {
  static override tableName = "job_events";
  static override hasUpdatedAt = false;
  static override jsonAttributes = ["payload"];
  jobId!: number;
  seq!: number;
  type!: "log" | "metric" | "progress" | "status";
  payload!: unknown;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["jobId", "seq", "type"],
    properties: {
      id: { type: "integer" },
      jobId: { type: "integer" },
      seq: { type: "integer" },
      type: { type: "string", enum: ["log", "metric", "progress", "status"] },
    },
  };
}
