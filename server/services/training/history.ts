/**
 * History-aware inputs (issue #22): columns computed for each anchor cycle t of one cell from what
 * the cell has shown up to t — never from a later row. Every value at row i reads rows ≤ i only
 * (and per-cell early-life values only from their availability cycle on), so a model fed with
 * these columns cannot see the future however the task is configured.
 *
 * - observed PCL at t and its trend over the last W cycles (allowed for RUL and for PCL at a
 *   horizon h > 0; never for horizon-0 PCL, where capacity is the target);
 * - each feature's trend over the last W cycles;
 * - per-cell early-life inputs (Severson's ΔQ₁₀₀₋₁₀ statistics), known from cycle 100 on: NaN
 *   (no sample) at anchors before that.
 * A trend is the least-squares slope over the observed cycles in [t − W, t] times W (the change
 * over the window); NaN (no sample) until the cell has been observed at cycle t − W.
 * Pure module: no database access.
 */
import { EARLY_LIFE_FROM_CYCLE, type EarlyLifeInput } from "../../schemas/training.js";

export interface HistoryOptions {
  /** W: cycles looked back (0 = no history columns). */
  window: number;
  /** Observed PCL at t and its trend (refused for horizon-0 PCL by the schema and here). */
  pcl: boolean;
  /** Each feature's trend over W. */
  trends: boolean;
  early: readonly EarlyLifeInput[];
}

/** What history needs of a cell: cycles ascending, per-row features and observed PCL. */
export interface HistoryCell {
  cycle: Float64Array;
  features: Record<string, Float64Array>;
  pcl: Float64Array;
  /** Per-cell early-life values (missing: NaN, the cell has no such samples). */
  early?: Partial<Record<EarlyLifeInput, number>>;
}

export function historyInputNames(features: readonly string[], opts: HistoryOptions): string[] {
  const names: string[] = [];
  if (opts.window > 0) {
    if (opts.pcl) names.push("pcl_observed", `pcl_trend_${opts.window}`);
    if (opts.trends) for (const f of features) names.push(`${f}_trend_${opts.window}`);
  }
  names.push(...opts.early);
  return names;
}

/** Least-squares slope × W over the rows whose cycles lie in [t − W, t]; NaN unless the row of
 * cycle t − W exists (the window is fully observed) and every value in it is finite. */
function trendColumn(
  cycle: Float64Array,
  values: Float64Array,
  window: number,
  rowOf: Map<number, number>,
): Float64Array {
  const n = cycle.length;
  const out = new Float64Array(n).fill(NaN);
  for (let i = 0; i < n; i++) {
    const start = rowOf.get(cycle[i] - window);
    if (start === undefined || start > i) continue;
    let sx = 0,
      sy = 0,
      m = 0;
    let ok = true;
    for (let r = start; r <= i; r++) {
      if (!Number.isFinite(values[r])) {
        ok = false;
        break;
      }
      sx += cycle[r];
      sy += values[r];
      m++;
    }
    if (!ok || m < 2) continue;
    const mx = sx / m,
      my = sy / m;
    let sxy = 0,
      sxx = 0;
    for (let r = start; r <= i; r++) {
      sxy += (cycle[r] - mx) * (values[r] - my);
      sxx += (cycle[r] - mx) ** 2;
    }
    out[i] = sxx > 0 ? (sxy / sxx) * window : NaN;
  }
  return out;
}

/** One column per `historyInputNames` entry, aligned with the cell's rows. */
export function historyColumns(cell: HistoryCell, features: readonly string[], opts: HistoryOptions): Float64Array[] {
  const { cycle } = cell;
  const n = cycle.length;
  const rowOf = new Map<number, number>();
  for (let i = 0; i < n; i++) rowOf.set(cycle[i], i);
  const cols: Float64Array[] = [];
  if (opts.window > 0) {
    if (opts.pcl) {
      cols.push(Float64Array.from(cell.pcl));
      cols.push(trendColumn(cycle, cell.pcl, opts.window, rowOf));
    }
    if (opts.trends) for (const f of features) cols.push(trendColumn(cycle, cell.features[f], opts.window, rowOf));
  }
  for (const e of opts.early) {
    const v = cell.early?.[e] ?? NaN;
    cols.push(Float64Array.from(cycle, (t) => (t >= EARLY_LIFE_FROM_CYCLE ? v : NaN)));
  }
  return cols;
}

/** ΔQ₁₀₀₋₁₀ statistics of one cell from its curve (Ah on a voltage grid). */
export function deltaQStats(dq: ArrayLike<number>): Record<EarlyLifeInput, number> {
  let s = 0,
    min = Infinity;
  for (let i = 0; i < dq.length; i++) {
    s += dq[i];
    if (dq[i] < min) min = dq[i];
  }
  const m = s / dq.length;
  let q = 0;
  for (let i = 0; i < dq.length; i++) q += (dq[i] - m) ** 2;
  return { dq_logvar: Math.log10(q / dq.length), dq_logmin: Math.log10(Math.abs(min)) };
}
