import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { TrainingRun } from "./training-run.js";
import type { ColumnTypes } from "./column-types.js";

/** A Battery Lab training task: one run (job) per algorithm, all in the job group `groupId`. */
export class TrainingTask extends BaseModel {
  static override tableName = "training_tasks";
  userId!: number;
  datasetId!: number;
  name!: string;
  groupId!: string;
  config!: ColumnTypes["trainingTaskConfig"];
  runs?: TrainingRun[];

  static override get jsonAttributes() {
    return ["config"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "datasetId", "name", "groupId", "config"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      datasetId: { type: "integer" },
      name: { type: "string", minLength: 1, maxLength: 120 },
      groupId: { type: "string", minLength: 1, maxLength: 64 },
      config: { type: "object" },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    runs: {
      relation: BaseModel.HasManyRelation,
      modelClass: TrainingRun,
      join: { from: "training_tasks.id", to: "training_runs.task_id" },
    },
  });
}
