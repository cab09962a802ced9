/**
 * Loads the early-life inputs of a dataset's cells: the ΔQ₁₀₀₋₁₀ statistics (battery_cell_early_life)
 * and the per-cycle series cut at cycle N, so nothing after cycle N can reach a feature.
 * Access goes through readableDataset (built-in or the caller's own; else NOT_FOUND).
 */
import { db } from "../../../db/db.js";
import { listCells, readableDataset, type CellInfo } from "../battery/datasets.js";
import { readSeries } from "../battery/store.js";
import { EARLY_SERIES, type EarlyCell } from "./features.js";

/** ΔQ₁₀₀₋₁₀ compares cycle 100 with cycle 10: usable only when the first N cycles include cycle 100. */
export const DELTA_Q_CYCLE = 100;

export interface LoadedEarlyCells {
  datasetId: number;
  cells: (EarlyCell & { info: CellInfo })[];
}

export async function loadEarlyCells(
  userId: number,
  datasetId: number,
  n: number,
  keys?: string[],
): Promise<LoadedEarlyCells> {
  await readableDataset(datasetId, userId);
  const { cells: all } = await listCells({ datasetId, userId });
  const chosen = keys ? all.filter((c) => keys.includes(c.cellKey)) : all;
  const ids = chosen.map((c) => c.id);
  const series = await readSeries(db(), datasetId, ids, ["cycle", ...EARLY_SERIES]);
  const early: {
    cellId: number;
    dqLogVar: number;
    dqMin: number;
    dqMean: number;
    dqSkew: number;
    dqKurt: number;
    dqEndV: number;
  }[] = ids.length
    ? await db()("batteryCellEarlyLife")
        .where({ datasetId })
        .whereIn("cellId", ids)
        .select("cellId", "dqLogVar", "dqMin", "dqMean", "dqSkew", "dqKurt", "dqEndV")
    : [];
  const dqByCell = new Map(early.map((e) => [e.cellId, e]));
  const cells = chosen.map((info) => {
    const s = series.get(info.id)!;
    const cycle = s.get("cycle") ?? new Float64Array();
    let end = 0;
    while (end < cycle.length && cycle[end] <= n) end++;
    const cut: EarlyCell["series"] = {};
    for (const name of EARLY_SERIES) {
      const v = s.get(name);
      if (v) cut[name] = v.subarray(0, end);
    }
    const d = dqByCell.get(info.id);
    return {
      key: info.cellKey,
      cycleLife: info.cycleLife,
      deltaQ:
        d && n >= DELTA_Q_CYCLE
          ? { logVar: d.dqLogVar, min: d.dqMin, mean: d.dqMean, skew: d.dqSkew, kurt: d.dqKurt, endV: d.dqEndV }
          : null,
      cycle: cycle.subarray(0, end),
      series: cut,
      info,
    };
  });
  return { datasetId, cells };
}
