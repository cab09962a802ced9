/**
 * Built-in Energy Lab assets, read from seeds/data/energy/ (see its README):
 *  - "Steel plant (UCI)": 15-min Usage_kWh with 5 numeric past covariates and Load_Type.
 *    The file's `dd/mm/yyyy 00:00` rows are 24:00 of the stamped day and are moved to the
 *    next day's 00:00, giving a regular grid 2018-01-01 00:15 → 2019-01-01 00:00 (35,040 points).
 *    The all-zero meter dropout (2018-11-08 00:00) keeps its value and gets POINT_FLAGS.DROPOUT.
 *  - "NAB machine temperature": 5-min values; of the 12 duplicated timestamps the first
 *    occurrence is kept (22,683 points) and the dropped rows are listed in the asset's notes;
 *    NAB's 4 labelled anomaly windows go to energy_anomaly_windows.
 * Idempotent: skips when both assets hold their expected counts, else replaces them in one
 * transaction with multi-row inserts.
 */
import fs from "node:fs";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { parse } from "csv-parse/sync";
import type { Knex } from "knex";
import type { Seed } from "./index.js";
import { parseTimestamp } from "../server/services/energy/timestamps.js";
import {
  BUILTIN_NAB_NAME,
  BUILTIN_STEEL_NAME,
  POINT_FLAGS,
  type CovariateSpec,
} from "../server/services/energy/types.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const ENERGY_DATA_DIR = path.join(here, "data", "energy");

export const EXPECTED = {
  steelPoints: 35_040,
  steelFirst: "2018-01-01T00:15:00.000Z",
  steelLast: "2019-01-01T00:00:00.000Z",
  steelDropout: "2018-11-08T00:00:00.000Z",
  nabRows: 22_695,
  nabDuplicates: 12,
  nabPoints: 22_683,
  nabWindows: 4,
} as const;
const BATCH_ROWS = 5_000;
const DAY_MS = 86_400_000;

const STEEL_COVARIATES: CovariateSpec[] = [
  { name: "Lagging_Current_Reactive.Power_kVarh", kind: "numeric", role: "past" },
  { name: "Leading_Current_Reactive_Power_kVarh", kind: "numeric", role: "past" },
  { name: "CO2(tCO2)", kind: "numeric", role: "past" },
  { name: "Lagging_Current_Power_Factor", kind: "numeric", role: "past" },
  { name: "Leading_Current_Power_Factor", kind: "numeric", role: "past" },
  { name: "Load_Type", kind: "categorical", role: "past" },
];

interface SeedPoint {
  ts: number;
  value: number;
  covariates: (number | string)[] | null;
  flags: number;
}

function readGz(name: string): Buffer {
  return zlib.gunzipSync(fs.readFileSync(path.join(ENERGY_DATA_DIR, name)));
}

/** Parses the Steel file (BOM + CRLF) and applies the 00:00 → next day rule. */
export function readSteel(): { points: SeedPoint[]; dropouts: string[] } {
  const rows = parse(readGz("Steel_industry_data.csv.gz"), {
    columns: true,
    bom: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const dropouts: string[] = [];
  const points = rows.map((r, i) => {
    let ts = parseTimestamp(r.date);
    if (ts === null) throw new Error(`Steel row ${i + 2}: unparsable date ${r.date}`);
    // End-of-interval stamps: "dd/mm/yyyy 00:00" closes the stamped day, i.e. next day's 00:00.
    if (ts % DAY_MS === 0) ts += DAY_MS;
    const value = Number(r.Usage_kWh);
    const covariates = STEEL_COVARIATES.map((c) => (c.kind === "numeric" ? Number(r[c.name]) : r[c.name]));
    // The meter dropout: zero usage and both power factors zero (one row in the file).
    const isDropout =
      value === 0 && Number(r.Lagging_Current_Power_Factor) === 0 && Number(r.Leading_Current_Power_Factor) === 0;
    if (isDropout) dropouts.push(new Date(ts).toISOString());
    return { ts, value, covariates, flags: isDropout ? POINT_FLAGS.DROPOUT : 0 };
  });
  points.sort((a, b) => a.ts - b.ts);
  return { points, dropouts };
}

/** Parses the NAB file; duplicated timestamps keep their first occurrence (file order). */
export function readNab(): {
  points: SeedPoint[];
  duplicates: { line: number; timestamp: string; droppedValue: number; keptValue: number }[];
} {
  const rows = parse(readGz("nab_machine_temperature_system_failure.csv.gz"), {
    columns: true,
    skip_empty_lines: true,
  }) as Record<string, string>[];
  const seen = new Map<number, number>();
  const duplicates: { line: number; timestamp: string; droppedValue: number; keptValue: number }[] = [];
  const points: SeedPoint[] = [];
  rows.forEach((r, i) => {
    const ts = parseTimestamp(r.timestamp);
    if (ts === null) throw new Error(`NAB row ${i + 2}: unparsable timestamp ${r.timestamp}`);
    const value = Number(r.value);
    const kept = seen.get(ts);
    if (kept !== undefined) {
      duplicates.push({ line: i + 2, timestamp: r.timestamp, droppedValue: value, keptValue: kept });
      return;
    }
    seen.set(ts, value);
    points.push({ ts, value, covariates: null, flags: 0 });
  });
  if (rows.length !== EXPECTED.nabRows)
    throw new Error(`NAB file has ${rows.length} rows, expected ${EXPECTED.nabRows}`);
  points.sort((a, b) => a.ts - b.ts);
  return { points, duplicates };
}

export function readNabWindows(): { start: number; end: number; label: number | null }[] {
  const json = JSON.parse(fs.readFileSync(path.join(ENERGY_DATA_DIR, "nab_temperature_labels.json"), "utf8"));
  const entry = json["realKnownCause/machine_temperature_system_failure.csv"] as {
    anomaly_windows: [string, string][];
    anomaly_labels: string[];
  };
  const labels = entry.anomaly_labels.map((l) => parseTimestamp(l)!);
  return entry.anomaly_windows.map(([s, e]) => {
    const start = parseTimestamp(s)!;
    const end = parseTimestamp(e)!;
    return { start, end, label: labels.find((l) => l >= start && l <= end) ?? null };
  });
}

async function countPoints(knex: Knex, assetId: number): Promise<number> {
  const [{ n }] = await knex("energySeriesPoints").where({ assetId }).count({ n: "*" });
  return Number(n);
}

async function isComplete(knex: Knex): Promise<boolean> {
  const assets = await knex("energyAssets")
    .whereNull("userId")
    .where({ source: "builtin" })
    .whereIn("name", [BUILTIN_STEEL_NAME, BUILTIN_NAB_NAME]);
  const steel = assets.find((a) => a.name === BUILTIN_STEEL_NAME);
  const nab = assets.find((a) => a.name === BUILTIN_NAB_NAME);
  if (assets.length !== 2 || !steel || !nab) return false;
  const [{ n: windows }] = await knex("energyAnomalyWindows").where({ assetId: nab.id }).count({ n: "*" });
  return (
    (await countPoints(knex, steel.id)) === EXPECTED.steelPoints &&
    (await countPoints(knex, nab.id)) === EXPECTED.nabPoints &&
    Number(windows) === EXPECTED.nabWindows
  );
}

async function insertPoints(trx: Knex.Transaction, assetId: number, points: SeedPoint[]) {
  for (let i = 0; i < points.length; i += BATCH_ROWS) {
    await trx("energySeriesPoints").insert(
      points.slice(i, i + BATCH_ROWS).map((p) => ({
        assetId,
        ts: new Date(p.ts),
        value: p.value,
        covariates: p.covariates ? JSON.stringify(p.covariates) : null,
        flags: p.flags,
      })),
    );
  }
}

export async function seedEnergy(knex: Knex): Promise<string> {
  if (await isComplete(knex))
    return `built-in assets present (Steel ${EXPECTED.steelPoints} points, NAB ${EXPECTED.nabPoints} points), skipped`;

  const steel = readSteel();
  const nab = readNab();
  const windows = readNabWindows();
  if (steel.points.length !== EXPECTED.steelPoints) throw new Error(`Steel file gave ${steel.points.length} points`);

  await knex.transaction(async (trx) => {
    // Replace whatever partial state is there (points and windows cascade).
    await trx("energyAssets")
      .whereNull("userId")
      .where({ source: "builtin" })
      .whereIn("name", [BUILTIN_STEEL_NAME, BUILTIN_NAB_NAME])
      .delete();
    const [steelId] = await trx("energyAssets").insert({
      userId: null,
      name: BUILTIN_STEEL_NAME,
      source: "builtin",
      description:
        "DAEWOO Steel Co. (Gwangyang, South Korea), electricity use per 15-min interval in 2018. " +
        "UCI Machine Learning Repository, doi:10.24432/C52G8C, CC BY 4.0. Timestamps are end of interval, local plant time stored as UTC.",
      unit: "kWh",
      frequencySeconds: 900,
      targetName: "Usage_kWh",
      covariates: JSON.stringify(STEEL_COVARIATES),
      notes: JSON.stringify({
        timestampFix: "dd/mm/yyyy 00:00 rows moved to 00:00 of the next day (365 rows)",
        dropouts: steel.dropouts,
        calendarFeatures: "derived at load time (server/services/energy/calendar.ts), not stored",
      }),
      pointCount: steel.points.length,
      firstTs: new Date(steel.points[0].ts),
      lastTs: new Date(steel.points.at(-1)!.ts),
    });
    await insertPoints(trx, steelId, steel.points);

    const [nabId] = await trx("energyAssets").insert({
      userId: null,
      name: BUILTIN_NAB_NAME,
      source: "builtin",
      description:
        "Temperature sensor on an internal component of a large industrial machine (NAB realKnownCause), with NAB's 4 labelled anomaly windows. " +
        "Numenta Anomaly Benchmark @ea702d75, MIT licence. Units not stated (likely °F).",
      unit: null,
      frequencySeconds: 300,
      targetName: "value",
      covariates: JSON.stringify([]),
      notes: JSON.stringify({
        duplicates: `${nab.duplicates.length} duplicated timestamps: first occurrence kept, later rows dropped`,
        droppedRows: nab.duplicates,
      }),
      pointCount: nab.points.length,
      firstTs: new Date(nab.points[0].ts),
      lastTs: new Date(nab.points.at(-1)!.ts),
    });
    await insertPoints(trx, nabId, nab.points);
    await trx("energyAnomalyWindows").insert(
      windows.map((w, i) => ({
        assetId: nabId,
        startTs: new Date(w.start),
        endTs: new Date(w.end),
        labelTs: w.label === null ? null : new Date(w.label),
        label: `NAB window ${i + 1}`,
        source: "nab",
      })),
    );
  });
  return `built-in assets loaded: Steel ${steel.points.length} points (${steel.dropouts.length} dropout flagged), NAB ${nab.points.length} points (${nab.duplicates.length} duplicates dropped), ${windows.length} anomaly windows`;
}

export const energySeed: Seed = { name: "energy", run: seedEnergy };
