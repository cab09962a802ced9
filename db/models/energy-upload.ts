import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

/** A file a user sent; the file lives in the artifact store at {userId}/energy-uploads/{id}/{storedName}. */
export class EnergyUpload extends BaseModel {
  static override tableName = "energy_uploads";
  static override hasUpdatedAt = false;
  userId!: number;
  assetId!: number;
  originalName!: string;
  storedName!: string;
  format!: "csv" | "xlsx";
  sizeBytes!: number;
  rowCount!: number;
  pointsAdded!: number;
  mapping!: Record<string, unknown>;
  report!: Record<string, unknown>;

  static override jsonAttributes = ["mapping", "report"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "assetId", "originalName", "storedName", "format", "sizeBytes", "rowCount", "pointsAdded"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      assetId: { type: "integer" },
      originalName: { type: "string", maxLength: 255 },
      storedName: { type: "string", maxLength: 64 },
      format: { type: "string", enum: ["csv", "xlsx"] },
      sizeBytes: { type: "integer" },
      rowCount: { type: "integer" },
      pointsAdded: { type: "integer" },
    },
  };

  static override relationMappings = () => ({});
}
