import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

export interface DetectorSettings {
  lowQuantile: number | null;
  highQuantile: number | null;
  /** raw: |y − q50|; width: |y − q50| / (q90 − q10). */
  scoreMode: "raw" | "width";
  /** Flags at most this many points apart belong to one event. */
  mergeGap: number;
}

export interface FittedRange {
  fromTs: number;
  toTs: number;
  points: number;
  excludedDropout: number;
  excludedLabelled: number;
  unscored: number;
}

export interface ScoreSummary {
  n: number;
  mean: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
}

/** A quantile detector fitted on one energy model version's residual scores. */
export class AnomalyDetector extends BaseModel {
  static override tableName = "anomaly_detectors";
  static override hasUpdatedAt = false;
  userId!: number;
  modelVersionId!: number;
  assetId!: number;
  name!: string;
  settings!: DetectorSettings;
  lowThreshold!: number | null;
  highThreshold!: number | null;
  fittedRange!: FittedRange;
  summary!: ScoreSummary;

  static override jsonAttributes = ["settings", "fittedRange", "summary"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "modelVersionId", "assetId", "name", "settings", "fittedRange", "summary"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      modelVersionId: { type: "integer" },
      assetId: { type: "integer" },
      name: { type: "string", minLength: 1, maxLength: 200 },
      settings: { type: "object" },
      lowThreshold: { type: ["number", "null"] },
      highThreshold: { type: ["number", "null"] },
      fittedRange: { type: "object" },
      summary: { type: "object" },
    },
  };

  static override relationMappings = () => ({});

  toPublic() {
    return {
      id: this.id,
      modelVersionId: this.modelVersionId,
      assetId: this.assetId,
      name: this.name,
      settings: this.settings,
      lowThreshold: this.lowThreshold,
      highThreshold: this.highThreshold,
      fittedRange: this.fittedRange,
      summary: this.summary,
      createdAt: this.createdAt,
    };
  }
}
