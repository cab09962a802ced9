/**
 * Writing and reading a dataset's per-cycle values. Rows go to battery_cycles (one per cycle,
 * queryable) and, in the same transaction, each cell's series to battery_cell_columns (one
 * little-endian float64 buffer per column, NaN = missing), which is what analysis and training read.
 */
import type { Knex } from "knex";
import { camel, isColumnFeature, isTargetDerived } from "./columns.js";

export interface CellSeries {
  cellId: number;
  /** Cycle numbers, ascending. */
  cycle: Float64Array;
  /** rul, pcl, features and target-derived columns, each the same length as cycle (NaN = missing). */
  values: Record<string, Float64Array>;
}

const ROW_BATCH = 5_000;
const BLOB_BYTES_PER_INSERT = 4 * 1024 * 1024;

function toSql(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

/** Names with their own column in battery_cycles (rul, pcl, built-in features, qdischarge_ah). */
function hasColumn(name: string): boolean {
  return name === "rul" || name === "pcl" || isColumnFeature(name) || isTargetDerived(name);
}

export async function insertSeries(trx: Knex.Transaction, datasetId: number, series: CellSeries[]): Promise<void> {
  let batch: Record<string, unknown>[] = [];
  for (const s of series) {
    const names = Object.keys(s.values);
    const columnNames = names.filter(hasColumn);
    const extraNames = names.filter((n) => !hasColumn(n));
    for (let i = 0; i < s.cycle.length; i++) {
      const row: Record<string, unknown> = { datasetId, cellId: s.cellId, cycle: s.cycle[i] };
      for (const n of columnNames) row[camel(n)] = toSql(s.values[n][i]);
      if (extraNames.length) {
        const extra: Record<string, number | null> = {};
        for (const n of extraNames) extra[n] = toSql(s.values[n][i]);
        row.extra = JSON.stringify(extra);
      }
      batch.push(row);
      if (batch.length >= ROW_BATCH) {
        await trx("batteryCycles").insert(batch);
        batch = [];
      }
    }
  }
  if (batch.length) await trx("batteryCycles").insert(batch);

  let blobs: Record<string, unknown>[] = [];
  let bytes = 0;
  for (const s of series) {
    for (const [name, arr] of [["cycle", s.cycle] as const, ...Object.entries(s.values)]) {
      blobs.push({ datasetId, cellId: s.cellId, name, data: Buffer.from(arr.buffer, arr.byteOffset, arr.byteLength) });
      bytes += arr.byteLength;
      if (bytes >= BLOB_BYTES_PER_INSERT) {
        await trx("batteryCellColumns").insert(blobs);
        blobs = [];
        bytes = 0;
      }
    }
  }
  if (blobs.length) await trx("batteryCellColumns").insert(blobs);
}

function toFloat64(buf: Buffer): Float64Array {
  // Copy: a Buffer from the driver may not be 8-byte aligned.
  const out = new Float64Array(buf.byteLength / 8);
  new Uint8Array(out.buffer).set(buf);
  return out;
}

/** Reads the named series of the given cells: Map cellId → Map name → values. Absent series are missing from the map. */
export async function readSeries(
  knex: Knex,
  datasetId: number,
  cellIds: number[],
  names: string[],
): Promise<Map<number, Map<string, Float64Array>>> {
  const out = new Map<number, Map<string, Float64Array>>();
  for (const id of cellIds) out.set(id, new Map());
  if (!cellIds.length || !names.length) return out;
  const rows: { cellId: number; name: string; data: Buffer }[] = await knex("batteryCellColumns")
    .where({ datasetId })
    .whereIn("cellId", cellIds)
    .whereIn("name", names)
    .select("cellId", "name", "data");
  for (const r of rows) out.get(r.cellId)?.set(r.name, toFloat64(r.data));
  return out;
}
