/**
 * Built-in Battery Lab dataset: Severson et al. (2019) 124 LFP cells as preprocessed by
 * Wen et al. (2024), plus the raw summary fields that exist for 47 of the cells.
 * Reads seeds/data/battery/*.csv.gz (copied into the repository; see its README).
 * Idempotent: skips when the expected counts are present, else replaces the built-in
 * dataset in one transaction with multi-row inserts.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { Knex } from "knex";
import type { Seed } from "./index.js";
import {
  BUILTIN_DATASET_NAME,
  BUILTIN_NOMINAL_AH,
  COLUMN_FEATURE_KEYS,
  SMOOTHED_FEATURES,
  SUMMARY_FEATURES,
  TARGET_DERIVED_COLUMNS,
} from "../server/services/battery/columns.js";
import { insertSeries, type CellSeries } from "../server/services/battery/store.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BATTERY_DATA_DIR = path.join(here, "data", "battery");

export const EXPECTED = { cells: 124, cycles: 99_281, summaryRows: 23_028, summaryCells: 47 } as const;
/** battery_cell_columns rows: cycle, rul, pcl and 3 features per cell, plus 7 summary series for 47 cells. */
const EXPECTED_SERIES = 124 * 6 + 47 * 7;
const BATCH_ROWS = 5_000;

type Row = Record<string, string>;

function readCsvGz(name: string): Row[] {
  const buf = zlib.gunzipSync(fs.readFileSync(path.join(BATTERY_DATA_DIR, name)));
  return parse(buf, { columns: true, skip_empty_lines: true }) as Row[];
}

function num(s: string | undefined): number | null {
  if (s === undefined || s === "") return null;
  const v = Number(s);
  return Number.isFinite(v) ? v : null;
}

async function isComplete(knex: Knex): Promise<boolean> {
  const ds = await knex("batteryDatasets").where({ source: "builtin", name: BUILTIN_DATASET_NAME }).whereNull("userId").first();
  if (!ds) return false;
  const [{ n: cells }] = await knex("batteryCells").where({ datasetId: ds.id }).count({ n: "*" });
  const [{ n: cycles }] = await knex("batteryCycles").where({ datasetId: ds.id }).count({ n: "*" });
  const [{ n: summary }] = await knex("batteryCycles").where({ datasetId: ds.id }).whereNotNull("irOhm").count({ n: "*" });
  const [{ n: series }] = await knex("batteryCellColumns").where({ datasetId: ds.id }).count({ n: "*" });
  return (
    Number(cells) === EXPECTED.cells &&
    Number(cycles) === EXPECTED.cycles &&
    Number(summary) === EXPECTED.summaryRows &&
    Number(series) === EXPECTED_SERIES
  );
}

export async function seedBattery(knex: Knex): Promise<string> {
  if (await isComplete(knex)) return `built-in dataset present (${EXPECTED.cells} cells, ${EXPECTED.cycles} cycles), skipped`;

  const cells = readCsvGz("severson124_cells.csv.gz");
  const cycles = readCsvGz("severson124_cycles.csv.gz");
  const summary = readCsvGz("severson124_summary.csv.gz");
  if (cells.length !== EXPECTED.cells || cycles.length !== EXPECTED.cycles || summary.length !== EXPECTED.summaryRows) {
    throw new Error(`battery seed files have unexpected row counts: ${cells.length} cells, ${cycles.length} cycles, ${summary.length} summary rows`);
  }
  // Summary fields keyed by "cell:cycle".
  const summaryByKey = new Map<string, Row>();
  const summaryCells = new Set<string>();
  for (const r of summary) {
    summaryByKey.set(`${r.cell_index}:${r.cycle}`, r);
    summaryCells.add(r.cell_index);
  }

  await knex.transaction(async (trx) => {
    // Replace whatever partial state is there (cells and cycles cascade).
    await trx("batteryDatasets").where({ source: "builtin", name: BUILTIN_DATASET_NAME }).whereNull("userId").delete();
    const [datasetId] = await trx("batteryDatasets").insert({
      userId: null,
      uploadId: null,
      name: BUILTIN_DATASET_NAME,
      source: "builtin",
      description:
        "Severson et al. 2019 (A123 APR18650M1A LFP/graphite, 1.1 Ah), per-cycle table by Wen et al. 2024: " +
        "3 smoothed features for all 124 cells; raw summary fields (IR, QCharge, Tmin, Tmax, Tavg, charge time) for 47 cells only.",
      features: JSON.stringify(COLUMN_FEATURE_KEYS),
      targetDerived: JSON.stringify(TARGET_DERIVED_COLUMNS),
      nominalCapacityAh: BUILTIN_NOMINAL_AH,
      eolSoh: 0.8,
      cellCount: EXPECTED.cells,
      cycleCount: EXPECTED.cycles,
    });

    const cellRows = cells.map((c, i) => ({
      datasetId,
      cellKey: c.cell_index,
      position: i + 1,
      batch: num(c.batch),
      seversonSplit: c.severson_split || null,
      caseA: c.case_a_role || null,
      caseB: c.case_b_role || null,
      cycleLife: num(c.cycle_life),
      nCycles: num(c.n_cycles),
      firstCycle: num(c.first_cycle),
      lastCycle: num(c.last_cycle),
      features: JSON.stringify(summaryCells.has(c.cell_index) ? [...SMOOTHED_FEATURES, ...SUMMARY_FEATURES] : [...SMOOTHED_FEATURES]),
    }));
    await trx("batteryCells").insert(cellRows);
    const idRows: { id: number; cellKey: string }[] = await trx("batteryCells").where({ datasetId }).select("id", "cellKey");
    const cellId = new Map(idRows.map((r) => [r.cellKey, r.id]));

    // Per cell: the cycles file's rows (ordered by cell, then cycle) plus the summary fields where present.
    const byCell = new Map<string, Row[]>();
    for (const r of cycles) {
      const list = byCell.get(r.cell_index) ?? [];
      list.push(r);
      byCell.set(r.cell_index, list);
    }
    const names = ["rul", "pcl", ...SMOOTHED_FEATURES, ...SUMMARY_FEATURES, ...TARGET_DERIVED_COLUMNS];
    const series: CellSeries[] = [];
    for (const [key, rows] of byCell) {
      const n = rows.length;
      const cycle = new Float64Array(n);
      const values: Record<string, Float64Array> = {};
      for (const name of names) values[name] = new Float64Array(n).fill(NaN);
      rows.forEach((r, i) => {
        cycle[i] = Number(r.cycle);
        const s = summaryByKey.get(`${r.cell_index}:${r.cycle}`);
        for (const name of names) values[name][i] = num(r[name] ?? s?.[name]) ?? NaN;
      });
      // Cells without any summary row do not get all-NaN series for those fields.
      if (!summaryCells.has(key)) for (const name of [...SUMMARY_FEATURES, ...TARGET_DERIVED_COLUMNS]) delete values[name];
      series.push({ cellId: cellId.get(key)!, cycle, values });
    }
    await insertSeries(trx, datasetId, series);
  });
  return `built-in dataset loaded: ${EXPECTED.cells} cells, ${EXPECTED.cycles} cycles, summary fields for ${summaryCells.size} cells`;
}

export const batterySeed: Seed = { name: "battery", run: seedBattery };
