import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import type { ColumnTypes } from "./column-types.js";
import type { TaskStatus } from "../../jobs/states.js";

/** One algorithm of a training task, run by one job. `result` is written when it succeeds. */
export class TrainingRun extends BaseModel {
  static override tableName = "training_runs";
  userId!: number;
  taskId!: number;
  algorithm!: ColumnTypes["algorithm"];
  jobId!: number | null;
  finalStatus!: TaskStatus | null;
  result!: unknown;

  static override get jsonAttributes() {
    return ["result"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "taskId", "algorithm"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      taskId: { type: "integer" },
      algorithm: { type: "string", enum: ["baseline", "bilstm", "deephpm"] },
      jobId: { type: ["integer", "null"] },
      finalStatus: { type: ["string", "null"], enum: ["PENDING", "RUNNING", "SUCCEEDED", "FAILED", "CANCELED", null] },
    },
  };
}
