import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import type { ColumnTypes } from "./column-types.js";

/**
 * One cell's per-sample results of a test job. `samples` is little-endian Float64:
 * cycle[n], then for each target of the job (config.targets order) y_true[n], y_pred[n].
 * Append-only.
 */
export class TestJobCell extends BaseModel {
  static override tableName = "test_job_cells";
  static override hasUpdatedAt = false;
  userId!: number;
  testJobId!: number;
  position!: number;
  cellKey!: string;
  nSamples!: number;
  metrics!: ColumnTypes["testCellMetrics"];
  samples!: Buffer;

  static override get jsonAttributes() {
    return ["metrics"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["userId", "testJobId", "position", "cellKey", "nSamples", "metrics"],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      testJobId: { type: "integer" },
      position: { type: "integer", minimum: 0 },
      cellKey: { type: "string", minLength: 1, maxLength: 64 },
      nSamples: { type: "integer", minimum: 0 },
      metrics: { type: "object" },
    },
  };
}
