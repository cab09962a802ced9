import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

/** A file a user uploaded; stored in the artifact store at {userId}/battery-uploads/{id}/{storedName}. originalName is display only. */
export class BatteryUpload extends BaseModel {
  static override tableName = "battery_uploads";
  static override hasUpdatedAt = false;
  userId!: number;
  originalName!: string;
  storedName!: string;
  format!: "csv" | "xlsx";
  sizeBytes!: number;
  rowCount!: number;
  cellCount!: number;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "originalName", "storedName", "format", "sizeBytes", "rowCount", "cellCount"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      originalName: { type: "string", minLength: 1, maxLength: 255 },
      storedName: { type: "string", pattern: "^[a-z0-9.]+$", maxLength: 64 },
      format: { type: "string", enum: ["csv", "xlsx"] },
      sizeBytes: { type: "integer" },
      rowCount: { type: "integer" },
      cellCount: { type: "integer" },
    },
  };
}
