import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import type { ColumnTypes } from "./column-types.js";

/** A series (target + covariates) owned by a user, or built-in when userId is null. */
export class EnergyAsset extends BaseModel {
  static override tableName = "energy_assets";
  userId!: number | null;
  name!: string;
  source!: "builtin" | "user";
  description!: string | null;
  unit!: string | null;
  frequencySeconds!: number | null;
  targetName!: string;
  covariates!: ColumnTypes["covariateSpec"][];
  notes!: Record<string, unknown> | null;
  pointCount!: number;
  firstTs!: Date | null;
  lastTs!: Date | null;

  static override jsonAttributes = ["covariates", "notes"];

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["name", "source", "targetName", "covariates"],
    properties: {
      id: { type: "integer" },
      userId: { type: ["integer", "null"] },
      name: { type: "string", minLength: 1, maxLength: 200 },
      source: { type: "string", enum: ["builtin", "user"] },
      description: { type: ["string", "null"] },
      unit: { type: ["string", "null"], maxLength: 32 },
      frequencySeconds: { type: ["integer", "null"], minimum: 1 },
      targetName: { type: "string", minLength: 1, maxLength: 200 },
      covariates: { type: "array" },
      notes: { type: ["object", "null"] },
      pointCount: { type: "integer" },
    },
  };

  static override relationMappings = () => ({});

  toPublic() {
    return {
      id: this.id,
      name: this.name,
      source: this.source,
      builtIn: this.userId === null,
      readOnly: this.userId === null,
      description: this.description,
      unit: this.unit,
      frequencySeconds: this.frequencySeconds,
      targetName: this.targetName,
      covariates: this.covariates,
      notes: this.notes,
      pointCount: this.pointCount,
      firstTs: this.firstTs,
      lastTs: this.lastTs,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
    };
  }
}
