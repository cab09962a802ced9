import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { BatteryCell } from "./battery-cell.js";
import { BatteryUpload } from "./battery-upload.js";

/** A set of cells: the built-in one (userId null: readable by all, writable by none) or one per upload. */
export class BatteryDataset extends BaseModel {
  static override tableName = "battery_datasets";
  userId!: number | null;
  uploadId!: number | null;
  name!: string;
  source!: "builtin" | "upload";
  description!: string | null;
  features!: string[];
  targetDerived!: string[];
  nominalCapacityAh!: number | null;
  eolSoh!: number | null;
  cellCount!: number;
  cycleCount!: number;

  static override get jsonAttributes() {
    return ["features", "targetDerived"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["name", "source", "features", "targetDerived"],
    properties: {
      id: { type: "integer" },
      userId: { type: ["integer", "null"] },
      uploadId: { type: ["integer", "null"] },
      name: { type: "string", minLength: 1, maxLength: 200 },
      source: { type: "string", enum: ["builtin", "upload"] },
      description: { type: ["string", "null"] },
      features: { type: "array", items: { type: "string" } },
      targetDerived: { type: "array", items: { type: "string" } },
      nominalCapacityAh: { type: ["number", "null"] },
      eolSoh: { type: ["number", "null"] },
      cellCount: { type: "integer" },
      cycleCount: { type: "integer" },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    cells: {
      relation: BaseModel.HasManyRelation,
      modelClass: BatteryCell,
      join: { from: "battery_datasets.id", to: "battery_cells.dataset_id" },
    },
    upload: {
      relation: BaseModel.BelongsToOneRelation,
      modelClass: BatteryUpload,
      join: { from: "battery_datasets.upload_id", to: "battery_uploads.id" },
    },
  });
}
