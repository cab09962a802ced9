import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { ApiKey } from "./api-key.js";

export class User extends BaseModel {
  static override tableName = "users";
  email!: string;
  passwordHash!: string;
  displayName!: string;
  /** zh-CN or en; null: the browser's language. */
  locale!: string | null;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["email", "passwordHash", "displayName"],
    properties: {
      id: { type: "integer" },
      email: { type: "string", maxLength: 254 },
      passwordHash: { type: "string" },
      displayName: { type: "string", minLength: 1, maxLength: 100 },
      locale: { type: ["string", "null"], enum: ["zh-CN", "en", null] },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    apiKeys: {
      relation: BaseModel.HasManyRelation,
      modelClass: ApiKey,
      join: { from: "users.id", to: "api_keys.user_id" },
    },
  });

  /** What the browser may see of a user. */
  toPublic() {
    return {
      id: this.id,
      email: this.email,
      displayName: this.displayName,
      locale: this.locale ?? null,
      createdAt: this.createdAt,
    };
  }
}
