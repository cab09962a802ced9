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

export type DetectorKind = "quantile" | "streaming";

/** A streaming detector's settings (server/services/anomaly/streaming.ts) and its probation. */
export interface StreamingDetectorSettings {
  threshold: number;
  shortWindow: number;
  longMemory: number;
  errorMemory: number;
  surpriseScale: number;
  profileRate: number;
  cleanAbove: number;
  rangeMargin: number;
  suppression: number;
  backoff: number;
  /** The asset's step when it is regular (the one-day predictor), else null. */
  stepSeconds: number | null;
  /** Probation points, from the stream's first point (startTs) to probationEndTs. */
  probation: number;
  startTs: number;
  probationEndTs: number;
}

/**
 * A detector of one asset: "quantile" (thresholds fitted on one energy model version's residual
 * scores; `settings`) or "streaming" (the online detector on the asset's values; `streaming`,
 * and its real-time state; `settings` holds no thresholds then).
 */
export class AnomalyDetector extends BaseModel {
  static override tableName = "anomaly_detectors";
  static override hasUpdatedAt = false;
  userId!: number;
  kind!: DetectorKind;
  modelVersionId!: number | null;
  streaming!: StreamingDetectorSettings | null;
  streamState!: unknown;
  streamTs!: Date | null;
  assetId!: number;
  name!: string;
  settings!: DetectorSettings;
  lowThreshold!: number | null;
  highThreshold!: number | null;
  fittedRange!: FittedRange;
  summary!: ScoreSummary;

  static override jsonAttributes = ["settings", "fittedRange", "summary", "streaming", "streamState"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "assetId", "name", "settings", "fittedRange", "summary"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      kind: { type: "string", enum: ["quantile", "streaming"] },
      modelVersionId: { type: ["integer", "null"] },
      streaming: { type: ["object", "null"] },
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
      kind: this.kind ?? "quantile",
      modelVersionId: this.modelVersionId,
      streaming: this.streaming ?? null,
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
