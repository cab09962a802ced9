import type { JSONSchema } from "objection";
import { BaseModel } from "./base-model.js";

/** One cell of a battery dataset; its per-cycle rows are in battery_cycles / battery_cell_columns. */
export class BatteryCell extends BaseModel {
  static override tableName = "battery_cells";
  static override hasUpdatedAt = false;
  datasetId!: number;
  cellKey!: string;
  position!: number;
  batch!: number | null;
  seversonSplit!: string | null;
  caseA!: string | null;
  caseB!: string | null;
  cycleLife!: number | null;
  nCycles!: number;
  firstCycle!: number;
  lastCycle!: number;
  features!: string[];

  override $beforeInsert(): void {
    // battery_cells has no timestamps.
  }

  static override get jsonAttributes() {
    return ["features"];
  }

  static override jsonSchema: JSONSchema = {
    type: "object",
    required: ["datasetId", "cellKey", "nCycles", "firstCycle", "lastCycle", "features"],
    properties: {
      id: { type: "integer" },
      datasetId: { type: "integer" },
      cellKey: { type: "string", minLength: 1, maxLength: 64 },
      features: { type: "array", items: { type: "string" } },
    },
  };
}
