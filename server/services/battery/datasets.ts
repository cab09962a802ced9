/**
 * Datasets, cells, presets and the per-cell cycle loader that analysis, training and testing share.
 * Access: a dataset is readable when it is built-in (user_id NULL) or the caller's own; anything
 * else is NOT_FOUND (never reveal that another user's dataset exists).
 */
import { userError } from "../../trpc/errors.js";
import { db } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { BatteryCell } from "../../../db/models/battery-cell.js";
import {
  derivedFeatureKeys,
  featureInfo,
  isTargetDerived,
  offersFeature,
  storedFeature,
  trailingMean,
  trailingMeanBase,
} from "./columns.js";
import { readSeries } from "./store.js";
import { ownedOrNotFound } from "../owned.js";

export function readableDataset(datasetId: number, userId: number): Promise<BatteryDataset> {
  return ownedOrNotFound(BatteryDataset, datasetId, userId, "battery:errors.datasetNotFound", { builtIn: true });
}

/** Built-in datasets are readable by all and writable by none. */
export async function writableDataset(datasetId: number, userId: number): Promise<BatteryDataset> {
  const ds = await readableDataset(datasetId, userId);
  if (ds.userId === null) throw userError("FORBIDDEN", "battery:errors.builtinReadOnly");
  return ds;
}

function datasetSummary(ds: BatteryDataset) {
  return {
    id: ds.id,
    name: ds.name,
    source: ds.source,
    builtin: ds.userId === null,
    uploadId: ds.uploadId,
    description: ds.description,
    // Stored features, then their trailing means (derived when read).
    features: [...ds.features, ...derivedFeatureKeys(ds.features)].map(featureInfo),
    targetDerived: ds.targetDerived,
    nominalCapacityAh: ds.nominalCapacityAh,
    eolSoh: ds.eolSoh,
    cellCount: ds.cellCount,
    cycleCount: ds.cycleCount,
    createdAt: ds.createdAt,
  };
}
export type DatasetSummary = ReturnType<typeof datasetSummary>;

export async function listDatasets(userId: number): Promise<DatasetSummary[]> {
  const rows = await BatteryDataset.query()
    .where((q) => q.whereNull("userId").orWhere("userId", userId))
    .orderByRaw("user_id IS NOT NULL, id");
  return rows.map(datasetSummary);
}

export async function getDataset(datasetId: number, userId: number): Promise<DatasetSummary> {
  return datasetSummary(await readableDataset(datasetId, userId));
}

export interface CellInfo {
  id: number;
  cellKey: string;
  batch: number | null;
  seversonSplit: string | null;
  caseA: string | null;
  caseB: string | null;
  cycleLife: number | null;
  nCycles: number;
  firstCycle: number;
  lastCycle: number;
  features: string[];
}

function cellInfo(c: BatteryCell): CellInfo {
  return {
    id: c.id,
    cellKey: c.cellKey,
    batch: c.batch,
    seversonSplit: c.seversonSplit,
    caseA: c.caseA,
    caseB: c.caseB,
    cycleLife: c.cycleLife,
    nCycles: c.nCycles,
    firstCycle: c.firstCycle,
    lastCycle: c.lastCycle,
    features: c.features,
  };
}

export async function listCells({ datasetId, userId }: { datasetId: number; userId: number }) {
  const dataset = await readableDataset(datasetId, userId);
  const cells = await BatteryCell.query().where({ datasetId }).orderBy("position");
  return { dataset: datasetSummary(dataset), cells: cells.map(cellInfo) };
}

export interface Preset {
  key: string;
  label: string;
  description: string;
  cellIds: number[];
  cellKeys: string[];
  /** For Wen's single-cell set-ups: which cells train and which test. */
  roles?: { train: string[]; test: string[] };
}

/** Severson splits and Wen Cases A–C for the built-in dataset; "all cells" for every dataset. */
export async function listPresets({ datasetId, userId }: { datasetId: number; userId: number }): Promise<Preset[]> {
  const { cells } = await listCells({ datasetId, userId });
  const pick = (f: (c: CellInfo) => boolean) => {
    const sel = cells.filter(f);
    return { cellIds: sel.map((c) => c.id), cellKeys: sel.map((c) => c.cellKey) };
  };
  const presets: Preset[] = [
    { key: "all", label: "All cells", description: `All ${cells.length} cells`, ...pick(() => true) },
  ];
  const splits: [string, string][] = [
    ["primary_train", "Severson primary train"],
    ["primary_test", "Severson primary test"],
    ["secondary_test", "Severson secondary test"],
  ];
  for (const [key, label] of splits) {
    const p = pick((c) => c.seversonSplit === key);
    if (p.cellIds.length) presets.push({ key, label, description: `${p.cellIds.length} cells`, ...p });
  }
  for (const [key, field, label] of [
    ["case_a", "caseA", "Wen Case A"],
    ["case_b", "caseB", "Wen Case B"],
  ] as const) {
    const p = pick((c) => c[field] !== null);
    if (!p.cellIds.length) continue;
    const roles = {
      train: cells.filter((c) => c[field] === "train").map((c) => c.cellKey),
      test: cells.filter((c) => c[field] === "test").map((c) => c.cellKey),
    };
    presets.push({
      key,
      label,
      description: `train ${roles.train.join(", ")}; test ${roles.test.join(", ")}`,
      ...p,
      roles,
    });
  }
  const caseC = pick((c) => c.seversonSplit === "primary_test");
  if (caseC.cellIds.length) {
    presets.push({
      key: "case_c",
      label: "Wen Case C (RUL)",
      description: `all cycles of the ${caseC.cellIds.length} primary-test cells, random 60/20/20 split`,
      ...caseC,
    });
  }
  return presets;
}

export interface LoadedCell {
  cellId: number;
  cellKey: string;
  cycle: Float64Array;
  /** One array per requested feature, aligned with cycle; NaN where the cell has no value. */
  features: Record<string, Float64Array>;
  rul: Float64Array;
  pcl: Float64Array;
}

export interface LoadCyclesInput {
  datasetId: number;
  userId: number;
  /** Either database ids of cells or their keys within the dataset ("1".."124", uploaded ids). */
  cellIds?: number[];
  cellKeys?: string[];
  features: string[];
}

/**
 * Per-cell typed arrays of cycle, the requested features, rul and pcl, in the order the cells
 * were asked for. A feature the dataset does not offer (or a target-derived one such as
 * qdischarge_ah) is BAD_REQUEST; an unknown cell is NOT_FOUND.
 */
export async function loadCycles(
  input: LoadCyclesInput,
): Promise<{ datasetId: number; features: string[]; cells: LoadedCell[] }> {
  const dataset = await readableDataset(input.datasetId, input.userId);
  for (const f of input.features) {
    if (isTargetDerived(storedFeature(f)))
      throw userError("BAD_REQUEST", "battery:errors.targetDerived", { feature: f });
    if (!offersFeature(dataset.features, f))
      throw userError("BAD_REQUEST", "battery:errors.unknownFeature", { feature: f });
  }
  const q = BatteryCell.query().where({ datasetId: dataset.id }).select("id", "cellKey");
  if (input.cellIds) q.whereIn("id", input.cellIds);
  else if (input.cellKeys) q.whereIn("cellKey", input.cellKeys);
  const found = await q;
  const wanted = input.cellIds ?? input.cellKeys ?? found.map((c) => c.id);
  const byWanted = new Map<number | string, { id: number; cellKey: string }>();
  for (const c of found) byWanted.set(input.cellKeys && !input.cellIds ? c.cellKey : c.id, c);
  const ordered = wanted.map((w) => {
    const c = byWanted.get(w);
    if (!c) throw userError("NOT_FOUND", "battery:errors.cellNotFound", { cell: w });
    return c;
  });
  const series = await readSeries(
    db(),
    dataset.id,
    ordered.map((c) => c.id),
    ["cycle", "rul", "pcl", ...new Set(input.features.map(storedFeature))],
  );
  const cells = ordered.map((c): LoadedCell => {
    const s = series.get(c.id)!;
    const cycle = s.get("cycle") ?? new Float64Array(0);
    const missing = () => new Float64Array(cycle.length).fill(NaN);
    const features: Record<string, Float64Array> = {};
    for (const f of input.features) {
      const stored = s.get(storedFeature(f));
      features[f] = !stored ? missing() : trailingMeanBase(f) ? trailingMean(stored) : stored;
    }
    return {
      cellId: c.id,
      cellKey: c.cellKey,
      cycle,
      features,
      rul: s.get("rul") ?? missing(),
      pcl: s.get("pcl") ?? missing(),
    };
  });
  return { datasetId: dataset.id, features: input.features, cells };
}
