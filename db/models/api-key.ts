import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

export class ApiKey extends BaseModel {
  static override tableName = "api_keys";
  userId!: number;
  name!: string;
  prefix!: string;
  keyHash!: string;
  lastUsedAt!: Date | null;
  revokedAt!: Date | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "name", "prefix", "keyHash"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      name: { type: "string", minLength: 1, maxLength: 100 },
      prefix: { type: "string" },
      keyHash: { type: "string", minLength: 64, maxLength: 64 },
    },
  };

  toPublic() {
    return {
      id: this.id,
      name: this.name,
      prefix: this.prefix,
      createdAt: this.createdAt,
      lastUsedAt: this.lastUsedAt,
      revokedAt: this.revokedAt,
    };
  }
}
