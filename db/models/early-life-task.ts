import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import type { ColumnTypes } from "./column-types.js";

/** An early-life cycle-life prediction task (config, its queue job, and its result once done). */
export class EarlyLifeTask extends BaseModel {
  static override tableName = "early_life_tasks";
  userId!: number;
  datasetId!: number | null;
  jobId!: number | null;
  name!: string;
  finalStatus!: string | null;
  config!: ColumnTypes["earlyLifeConfig"];
  result!: ColumnTypes["earlyLifeResult"] | null;

  static override get jsonAttributes() {
    return ["config", "result"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "name", "config"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      datasetId: { type: ["integer", "null"] },
      jobId: { type: ["integer", "null"] },
      name: { type: "string", minLength: 1, maxLength: 120 },
    },
  };
}
