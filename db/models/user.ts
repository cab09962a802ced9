import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { ApiKey } from "./api-key.js";

export class User extends BaseModel {
  static override tableName = "users";
  email!: string;
  passwordHash!: string;
  displayName!: string;

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["email", "passwordHash", "displayName"],
    properties: {
      id: { type: "integer" },
      email: { type: "string", maxLength: 254 },
      passwordHash: { type: "string" },
      displayName: { type: "string", minLength: 1, maxLength: 100 },
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
    return { id: this.id, email: this.email, displayName: this.displayName, createdAt: this.createdAt };
  }
}
