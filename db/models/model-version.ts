import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";
import type { ColumnTypes } from "./column-types.js";

/**
 * A trained battery model: files under {userId}/models/{id}/ in the artifact store
 * (checkpoint.pt, model.onnx, config.json), plus config, lineage, metrics and history here.
 */
export class ModelVersion extends BaseModel {
  static override tableName = "model_versions";
  userId!: number;
  taskId!: number | null;
  runId!: number | null;
  datasetId!: number | null;
  name!: string;
  algorithm!: ColumnTypes["algorithm"];
  target!: ColumnTypes["targetChoice"];
  datasetName!: string;
  bestEpoch!: number;
  config!: Record<string, unknown>;
  lineage!: Record<string, unknown>;
  metrics!: Record<string, unknown>;
  history!: unknown[];

  static override get jsonAttributes() {
    return ["config", "lineage", "metrics", "history"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: [
      "userId",
      "name",
      "algorithm",
      "target",
      "datasetName",
      "bestEpoch",
      "config",
      "lineage",
      "metrics",
      "history",
    ],
    properties: {
      id: { type: "integer" },
      userId: { type: "integer" },
      taskId: { type: ["integer", "null"] },
      runId: { type: ["integer", "null"] },
      datasetId: { type: ["integer", "null"] },
      name: { type: "string", minLength: 1, maxLength: 120 },
      algorithm: { type: "string", enum: ["baseline", "bilstm", "deephpm"] },
      target: { type: "string", enum: ["rul", "pcl", "both"] },
      datasetName: { type: "string", maxLength: 200 },
      bestEpoch: { type: "integer", minimum: 0 },
    },
  };
}
