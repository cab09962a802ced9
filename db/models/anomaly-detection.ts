import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import { TASK_STATUSES, type TaskStatus } from "../../jobs/states.js";

/** The row's recorded outcome; what users see is its job's status (jobs/lifecycle.ts rowStatus). */
export type DetectionStatus = TaskStatus;

export interface AnomalyEvent {
  start: number;
  end: number;
  peakTs: number;
  peakScore: number;
  /** Flagged points in the event. */
  points: number;
}

/** A batch detection run (energy.detect job) of one detector over a range or an uploaded file. */
export class AnomalyDetection extends BaseModel {
  static override tableName = "anomaly_detections";
  userId!: number;
  detectorId!: number;
  source!: "range" | "upload";
  request!: Record<string, unknown>;
  status!: DetectionStatus;
  jobId!: number | null;
  summary!: Record<string, unknown> | null;
  events!: AnomalyEvent[] | null;
  error!: string | null;

  static override jsonAttributes = ["request", "summary", "events"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "detectorId", "source", "request", "status"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      detectorId: { type: "integer" },
      source: { type: "string", enum: ["range", "upload"] },
      request: { type: "object" },
      status: { type: "string", enum: [...TASK_STATUSES] },
      jobId: { type: ["integer", "null"] },
      summary: { type: ["object", "null"] },
      events: { type: ["array", "null"] },
      error: { type: ["string", "null"] },
    },
  };

  static override relationMappings = () => ({});

  toPublic() {
    return {
      id: this.id,
      detectorId: this.detectorId,
      source: this.source,
      request: this.request,
      status: this.status,
      jobId: this.jobId,
      summary: this.summary,
      events: this.events,
      error: this.error,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }
}
