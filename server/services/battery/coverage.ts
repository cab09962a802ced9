/**
 * Feature coverage: which cells and which cycles have a value of each feature (issue #22). A value
 * counts when it is finite in the series that analysis and training read, so raw recording faults
 * (OUTLIER_RULES: kept as recorded in battery_cycles, NaN in the series) are gaps, and the dataset
 * report lists them with their rule. The same coverage decides whether a training task's features
 * cover its cells (coverageGaps), so the report and the refusal never disagree.
 */
import { db } from "../../../db/db.js";
import { camel, featureInfo, OUTLIER_RULES, outlierRule } from "./columns.js";
import { listCells, readableDataset, type LoadedCell } from "./datasets.js";
import { readSeries } from "./store.js";
import { Lru } from "../lru.js";

export interface Coverage {
  /** Cycles with a value. */
  covered: number;
  /** Cycles considered (those of the cell, or those with a target). */
  cycles: number;
  /** Runs of consecutive considered cycles with a value, as [first, last] cycle numbers. */
  ranges: [number, number][];
}

/** Coverage of one series over the cycles where `consider` is true (all cycles by default). */
export function coverageOf(
  cycle: ArrayLike<number>,
  values: ArrayLike<number> | undefined,
  consider?: (i: number) => boolean,
): Coverage {
  const ranges: [number, number][] = [];
  let covered = 0;
  let cycles = 0;
  let open = false;
  for (let i = 0; i < cycle.length; i++) {
    if (consider && !consider(i)) continue;
    cycles++;
    if (values && Number.isFinite(values[i])) {
      covered++;
      if (open) ranges[ranges.length - 1][1] = cycle[i];
      else ranges.push([cycle[i], cycle[i]]);
      open = true;
    } else open = false;
  }
  return { covered, cycles, ranges };
}

/** "2–100, 120–1800" (at most `max` runs, then "… (k more gaps)"). */
export function formatRanges(ranges: [number, number][], max = 4): string {
  if (!ranges.length) return "none";
  const text = ranges.slice(0, max).map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`));
  return text.join(", ") + (ranges.length > max ? ` … (${ranges.length - max} more runs)` : "");
}

/**
 * Null when every feature has a value on every cycle of every cell where a target has one; else
 * the refusal naming each uncovered feature, its cells and their coverage.
 */
export function coverageGaps(
  cells: Pick<LoadedCell, "cellKey" | "cycle" | "features" | "rul" | "pcl">[],
  features: string[],
  targets: ("rul" | "pcl")[],
): string | null {
  const parts: string[] = [];
  for (const f of features) {
    const gaps: { share: number; text: string }[] = [];
    for (const c of cells) {
      const consider = (i: number) => targets.some((t) => Number.isFinite(c[t][i]));
      const cov = coverageOf(c.cycle, c.features[f], consider);
      if (cov.covered < cov.cycles)
        gaps.push({
          share: cov.covered / cov.cycles,
          text: `cell ${c.cellKey} has it on ${cov.covered} of ${cov.cycles} cycles (${formatRanges(cov.ranges, 3)})`,
        });
    }
    // The least covered cells first.
    gaps.sort((a, b) => a.share - b.share);
    if (gaps.length)
      parts.push(
        `${f}: ${gaps
          .slice(0, 6)
          .map((g) => g.text)
          .join("; ")}${gaps.length > 6 ? `; and ${gaps.length - 6} more cells` : ""}`,
      );
  }
  if (!parts.length) return null;
  return (
    `The chosen features do not cover every cycle of this task's cells — ${parts.join(". ")}. ` +
    `Tick "Train on covered cycles only" to use just the cycles where every feature has a value, or remove the feature`
  );
}

export interface FeatureCoverageView {
  key: string;
  label: string;
  /** Cells with at least one value / all cells. */
  cellsWithValues: number;
  /** Cells with a value on every cycle. */
  cellsComplete: number;
  cells: number;
  covered: number;
  cycles: number;
  /** Cells with values on only part of their cycles (or none), with their coverage. */
  partial: { cellKey: string; covered: number; cycles: number; ranges: string }[];
}

export interface FlaggedValue {
  cellKey: string;
  cycle: number;
  column: string;
  value: number;
  rule: string;
}

export interface DatasetCoverage {
  datasetId: number;
  features: FeatureCoverageView[];
  /** Cells with a ΔQ₁₀₀₋₁₀ curve (it needs cycles 10 and 100). */
  deltaQ: { cells: number; missing: string[] };
  flagged: FlaggedValue[];
  rules: { column: string; rule: string }[];
}

// Datasets never change after they are written; an id is never reused.
const cache = new Lru<number, DatasetCoverage>(16);

export async function datasetCoverage(userId: number, datasetId: number): Promise<DatasetCoverage> {
  const ds = await readableDataset(datasetId, userId);
  const hit = cache.get(ds.id);
  if (hit) return hit;
  const { cells } = await listCells({ datasetId: ds.id, userId });
  const series = await readSeries(
    db(),
    ds.id,
    cells.map((c) => c.id),
    ["cycle", ...ds.features],
  );
  const features = ds.features.map((key): FeatureCoverageView => {
    const view: FeatureCoverageView = {
      key,
      label: featureInfo(key).label,
      cellsWithValues: 0,
      cellsComplete: 0,
      cells: cells.length,
      covered: 0,
      cycles: 0,
      partial: [],
    };
    for (const c of cells) {
      const s = series.get(c.id)!;
      const cov = coverageOf(s.get("cycle") ?? [], s.get(key));
      view.covered += cov.covered;
      view.cycles += cov.cycles;
      if (cov.covered > 0) view.cellsWithValues++;
      if (cov.covered === cov.cycles) view.cellsComplete++;
      else
        view.partial.push({
          cellKey: c.cellKey,
          covered: cov.covered,
          cycles: cov.cycles,
          ranges: formatRanges(cov.ranges),
        });
    }
    return view;
  });

  const early: { cellId: number }[] = await db()("batteryCellEarlyLife").where({ datasetId: ds.id }).select("cellId");
  const withCurve = new Set(early.map((e) => Number(e.cellId)));

  const keyOf = new Map(cells.map((c) => [c.id, c.cellKey]));
  const q = db()("batteryCycles").where({ datasetId: ds.id });
  q.where((w) => {
    for (const r of OUTLIER_RULES) w.orWhere(camel(r.column), r.op, r.limit);
  });
  const rows: Record<string, number>[] = await q
    .select("cellId", "cycle", ...OUTLIER_RULES.map((r) => camel(r.column)))
    .orderBy(["cellId", "cycle"]);
  const flagged: FlaggedValue[] = [];
  for (const row of rows) {
    for (const r of OUTLIER_RULES) {
      const v = row[camel(r.column)];
      const rule = v === null ? null : outlierRule(r.column, v);
      if (rule)
        flagged.push({
          cellKey: keyOf.get(Number(row.cellId)) ?? String(row.cellId),
          cycle: row.cycle,
          column: r.column,
          value: v,
          rule,
        });
    }
  }

  const out: DatasetCoverage = {
    datasetId: ds.id,
    features,
    deltaQ: {
      cells: cells.filter((c) => withCurve.has(c.id)).length,
      missing: cells.filter((c) => !withCurve.has(c.id)).map((c) => c.cellKey),
    },
    flagged,
    rules: OUTLIER_RULES.map((r) => ({ column: r.column, rule: r.rule })),
  };
  cache.set(ds.id, out);
  return out;
}
