import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

/** A labelled anomaly window of an asset (e.g. NAB's combined windows). */
export class EnergyAnomalyWindow extends BaseModel {
  static override tableName = "energy_anomaly_windows";
  static override hasUpdatedAt = false;
  assetId!: number;
  startTs!: Date;
  endTs!: Date;
  labelTs!: Date | null;
  label!: string;
  source!: string;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["assetId", "startTs", "endTs", "label", "source"],
    properties: {
      id: { type: "integer" },
      assetId: { type: "integer" },
      label: { type: "string", maxLength: 200 },
      source: { type: "string", maxLength: 32 },
    },
  };

  static override relationMappings = () => ({});
}
