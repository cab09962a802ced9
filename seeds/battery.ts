/**
 * Built-in Battery Lab dataset: Severson et al. (2019) 124 LFP cells as preprocessed by
 * Wen et al. (2024), plus Severson's raw summary fields (summary v2: cells 1–83 whole life,
 * 84–124 cycles 1–100), early-life dQ/dV statistics (cycles 2–100) and each cell's
 * ΔQ₁₀₀₋₁₀(V) curve with its summary statistics.
 * Reads seeds/data/battery/*.csv.gz (copied into the repository; see its README).
 * Idempotent: skips when the expected counts are present, else replaces the built-in
 * dataset in one transaction with multi-row inserts.
 * Raw recording faults (OUTLIER_RULES) stay in battery_cycles as recorded but are NaN in the
 * series that analysis and training read; the coverage report lists them.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { Knex } from "knex";
import * as ss from "simple-statistics";
import type { Seed } from "./index.js";
import {
  BUILTIN_DATASET_NAME,
  BUILTIN_NOMINAL_AH,
  COLUMN_FEATURE_KEYS,
  EARLY_DQDV_FEATURES,
  outlierRule,
  SMOOTHED_FEATURES,
  SUMMARY_FEATURES,
  TARGET_DERIVED_COLUMNS,
} from "../server/services/battery/columns.js";
import { insertSeries, type CellSeries } from "../server/services/battery/store.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const BATTERY_DATA_DIR = path.join(here, "data", "battery");

export const EXPECTED = {
  cells: 124,
  cycles: 99_281,
  summaryRows: 61_428,
  /** Rows with tmin_c (batch 1 has no Tmin after about cycle 100). */
  tminRows: 31_228,
  dqdvRows: 12_276,
  deltaQPoints: 1_000,
} as const;
/**
 * battery_cell_columns rows: every cell has cycle, rul, pcl, 3 smoothed features, 3 dQ/dV
 * features, 6 summary fields (Tmin at least early) and qdischarge_ah.
 */
const EXPECTED_SERIES = 124 * 16;
/** ΔQ₁₀₀₋₁₀ voltage grid of the file: v0 = 3.6 V … v999 = 2.0 V. */
export const DELTA_Q_GRID = { vStart: 3.6, vEnd: 2.0 } as const;

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
  const ds = await knex("batteryDatasets")
    .where({ source: "builtin", name: BUILTIN_DATASET_NAME })
    .whereNull("userId")
    .first();
  if (!ds) return false;
  const [{ n: cells }] = await knex("batteryCells").where({ datasetId: ds.id }).count({ n: "*" });
  const [{ n: cycles }] = await knex("batteryCycles").where({ datasetId: ds.id }).count({ n: "*" });
  const [{ n: summary }] = await knex("batteryCycles")
    .where({ datasetId: ds.id })
    .whereNotNull("irOhm")
    .count({ n: "*" });
  const [{ n: dqdv }] = await knex("batteryCycles")
    .where({ datasetId: ds.id })
    .whereNotNull("dqdvVar")
    .count({ n: "*" });
  const [{ n: series }] = await knex("batteryCellColumns").where({ datasetId: ds.id }).count({ n: "*" });
  const [{ n: early }] = await knex("batteryCellEarlyLife").where({ datasetId: ds.id }).count({ n: "*" });
  return (
    Number(cells) === EXPECTED.cells &&
    Number(cycles) === EXPECTED.cycles &&
    Number(summary) === EXPECTED.summaryRows &&
    Number(dqdv) === EXPECTED.dqdvRows &&
    Number(series) === EXPECTED_SERIES &&
    Number(early) === EXPECTED.cells
  );
}

/** Summary statistics of one ΔQ₁₀₀₋₁₀(V) curve (Severson et al.'s early-life features). */
export function deltaQStats(dq: Float64Array) {
  const xs = Array.from(dq);
  return {
    dqLogVar: Math.log10(ss.variance(xs)),
    dqMin: ss.min(xs),
    dqMean: ss.mean(xs),
    dqSkew: ss.sampleSkewness(xs),
    dqKurt: ss.sampleKurtosis(xs),
    dqEndV: xs[xs.length - 1],
  };
}

function byCellIndex(rows: Row[]): Map<string, Row> {
  return new Map(rows.map((r) => [`${r.cell_index}:${r.cycle}`, r]));
}

export async function seedBattery(knex: Knex): Promise<string> {
  if (await isComplete(knex))
    return `built-in dataset present (${EXPECTED.cells} cells, ${EXPECTED.cycles} cycles), skipped`;

  const cells = readCsvGz("severson124_cells.csv.gz");
  const cycles = readCsvGz("severson124_cycles.csv.gz");
  const summary = readCsvGz("severson124_summary_v2.csv.gz");
  const dqdv = readCsvGz("severson124_dqdv_early.csv.gz");
  const deltaQ = readCsvGz("severson124_delta_q_100_10.csv.gz");
  if (
    cells.length !== EXPECTED.cells ||
    cycles.length !== EXPECTED.cycles ||
    summary.length !== EXPECTED.summaryRows ||
    dqdv.length !== EXPECTED.dqdvRows ||
    deltaQ.length !== EXPECTED.cells
  ) {
    throw new Error(
      `battery seed files have unexpected row counts: ${cells.length} cells, ${cycles.length} cycles, ${summary.length} summary rows, ` +
        `${dqdv.length} dQ/dV rows, ${deltaQ.length} ΔQ curves`,
    );
  }
  const summaryByKey = byCellIndex(summary);
  const dqdvByKey = byCellIndex(dqdv);
  const cycleKeys = new Set(cycles.map((r) => `${r.cell_index}:${r.cycle}`));
  const orphan = [...summaryByKey.keys(), ...dqdvByKey.keys()].find((k) => !cycleKeys.has(k));
  if (orphan)
    throw new Error(`battery seed: summary or dQ/dV row ${orphan} (cell:cycle) has no row in the cycles file`);

  const names = [
    "rul",
    "pcl",
    ...SMOOTHED_FEATURES,
    ...SUMMARY_FEATURES,
    ...EARLY_DQDV_FEATURES,
    ...TARGET_DERIVED_COLUMNS,
  ];
  // Per cell: the cycles file's rows (ordered by cell, then cycle) plus summary and dQ/dV fields where present.
  const byCell = new Map<string, Row[]>();
  for (const r of cycles) {
    const list = byCell.get(r.cell_index) ?? [];
    list.push(r);
    byCell.set(r.cell_index, list);
  }
  const raw = new Map<string, { cycle: Float64Array; values: Record<string, Float64Array> }>();
  for (const [key, rows] of byCell) {
    const n = rows.length;
    const cycle = new Float64Array(n);
    const values: Record<string, Float64Array> = {};
    for (const name of names) values[name] = new Float64Array(n).fill(NaN);
    rows.forEach((r, i) => {
      cycle[i] = Number(r.cycle);
      const k = `${r.cell_index}:${r.cycle}`;
      const s = summaryByKey.get(k);
      const d = dqdvByKey.get(k);
      for (const name of names) values[name][i] = num(r[name] ?? s?.[name] ?? d?.[name]) ?? NaN;
    });
    // A cell does not get all-NaN series for fields it never has.
    for (const name of names) if (!values[name].some(Number.isFinite)) delete values[name];
    raw.set(key, { cycle, values });
  }

  let flagged = 0;
  await knex.transaction(async (trx) => {
    // Replace whatever partial state is there (cells, cycles and early-life rows cascade).
    await trx("batteryDatasets").where({ source: "builtin", name: BUILTIN_DATASET_NAME }).whereNull("userId").delete();
    const [datasetId] = await trx("batteryDatasets").insert({
      userId: null,
      uploadId: null,
      name: BUILTIN_DATASET_NAME,
      source: "builtin",
      description:
        "Severson et al. 2019 (A123 APR18650M1A LFP/graphite, 1.1 Ah), per-cycle table by Wen et al. 2024: " +
        "3 smoothed features for all 124 cells; raw summary fields (IR, QCharge, Tavg, Tmax, charge time) for cells 1–83 over " +
        "their whole life and cells 84–124 over cycles 1–100 (Tmin: batch 1 only early); early-life dQ/dV min/max/variance for " +
        "cycles 2–100 of every cell; each cell's ΔQ₁₀₀₋₁₀(V) curve. Raw recording faults (IR 0, capacity above 1.2 Ah, " +
        "charge time above 60 min) are kept as recorded but flagged and never used for analysis or training.",
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
      features: JSON.stringify(
        Object.keys(raw.get(c.cell_index)?.values ?? {}).filter((f) => COLUMN_FEATURE_KEYS.includes(f)),
      ),
    }));
    await trx("batteryCells").insert(cellRows);
    const idRows: { id: number; cellKey: string }[] = await trx("batteryCells")
      .where({ datasetId })
      .select("id", "cellKey");
    const cellId = new Map(idRows.map((r) => [r.cellKey, r.id]));

    // battery_cycles gets the values as recorded ...
    const series: CellSeries[] = [...raw].map(([key, s]) => ({
      cellId: cellId.get(key)!,
      cycle: s.cycle,
      values: s.values,
    }));
    await insertSeries(trx, datasetId, series);
    // ... the series read by analysis and training lose the flagged values.
    for (const s of series) {
      for (const [name, arr] of Object.entries(s.values)) {
        let clean: Float64Array | null = null;
        arr.forEach((v, i) => {
          if (outlierRule(name, v)) (clean ??= Float64Array.from(arr))[i] = NaN;
        });
        if (!clean) continue;
        flagged += (clean as Float64Array).filter((v, i) => Number.isNaN(v) && !Number.isNaN(arr[i])).length;
        const c = clean as Float64Array;
        await trx("batteryCellColumns")
          .where({ cellId: s.cellId, name })
          .update({ data: Buffer.from(c.buffer, c.byteOffset, c.byteLength) });
      }
    }

    const earlyRows = deltaQ.map((r) => {
      const curve = new Float64Array(EXPECTED.deltaQPoints);
      for (let i = 0; i < curve.length; i++) {
        const v = num(r[`v${i}`]);
        if (v === null) throw new Error(`battery seed: ΔQ curve of cell ${r.cell_index} has no value at v${i}`);
        curve[i] = v;
      }
      const id = cellId.get(r.cell_index);
      if (!id) throw new Error(`battery seed: ΔQ curve for unknown cell ${r.cell_index}`);
      return {
        datasetId,
        cellId: id,
        vStart: DELTA_Q_GRID.vStart,
        vEnd: DELTA_Q_GRID.vEnd,
        deltaQ: Buffer.from(curve.buffer),
        ...deltaQStats(curve),
      };
    });
    await trx("batteryCellEarlyLife").insert(earlyRows);
  });
  return `built-in dataset loaded: ${EXPECTED.cells} cells, ${EXPECTED.cycles} cycles, ${EXPECTED.summaryRows} summary rows, ${EXPECTED.dqdvRows} dQ/dV rows, ${EXPECTED.cells} ΔQ curves; ${flagged} raw values flagged`;
}

export const batterySeed: Seed = { name: "battery", run: seedBattery };
