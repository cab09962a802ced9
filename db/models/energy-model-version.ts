import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import { TASK_STATUSES, type TaskStatus } from "../../jobs/states.js";

/** The row's recorded outcome; what users see is its job's status (jobs/lifecycle.ts rowStatus). */
export type EnergyModelStatus = TaskStatus;

/** A trained (or training) energy forecaster of one asset, owned by a user. */
export class EnergyModelVersion extends BaseModel {
  static override tableName = "energy_model_versions";
  userId!: number;
  assetId!: number;
  /** "auto" while Auto has not chosen yet (queued, training, failed). */
  kind!: "auto" | "seasonal-naive" | "seasonal-mean" | "seasonal-median" | "gbdt" | "lstm" | "tide" | "tft";
  status!: EnergyModelStatus;
  config!: Record<string, unknown>;
  metrics!: Record<string, unknown> | null;
  history!: unknown[] | null;
  trainSeconds!: number | null;
  error!: string | null;
  jobId!: number | null;

  static override jsonAttributes = ["config", "metrics", "history"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "assetId", "kind", "status", "config"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      assetId: { type: "integer" },
      kind: {
        type: "string",
        enum: ["auto", "seasonal-naive", "seasonal-mean", "seasonal-median", "gbdt", "lstm", "tide", "tft"],
      },
      status: { type: "string", enum: [...TASK_STATUSES] },
      config: { type: "object" },
      metrics: { type: ["object", "null"] },
      history: { type: ["array", "null"] },
      trainSeconds: { type: ["number", "null"] },
      error: { type: ["string", "null"] },
      jobId: { type: ["integer", "null"] },
    },
  };

  static override relationMappings = () => ({});

  toPublic() {
    return {
      id: this.id,
      assetId: this.assetId,
      kind: this.kind,
      status: this.status,
      config: this.config,
      metrics: this.metrics,
      trainSeconds: this.trainSeconds,
      error: this.error,
      jobId: this.jobId,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }
}
