import type { JSONSchema, RelationMappings } from "objection";
import { BaseModel } from "./base-model.js";
import { TestJobCell } from "./test-job-cell.js";
import type { ColumnTypes } from "./column-types.js";

/** A Battery Lab test job: one model version evaluated on cells of a dataset (built-in or upload). */
export class TestJob extends BaseModel {
  static override tableName = "test_jobs";
  userId!: number;
  versionId!: number | null;
  datasetId!: number | null;
  jobId!: number | null;
  name!: string;
  finalStatus!: "SUCCEEDED" | "FAILED" | "CANCELED" | null;
  config!: ColumnTypes["testJobConfig"];
  result!: ColumnTypes["testJobResult"] | null;
  cells?: TestJobCell[];

  static override get jsonAttributes() {
    return ["config", "result"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "name", "config"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      versionId: { type: ["integer", "null"] },
      datasetId: { type: ["integer", "null"] },
      jobId: { type: ["integer", "null"] },
      name: { type: "string", minLength: 1, maxLength: 120 },
      finalStatus: { type: ["string", "null"], enum: ["SUCCEEDED", "FAILED", "CANCELED", null] },
      config: { type: "object" },
      result: { type: ["object", "null"] },
    },
  };

  static override relationMappings = (): RelationMappings => ({
    cells: {
      relation: BaseModel.HasManyRelation,
      modelClass: TestJobCell,
      join: { from: "test_jobs.id", to: "test_job_cells.test_job_id" },
    },
  });
}
