/**
 * Early-life features of one cell, computed from its first N cycles only (Severson et al. 2019,
 * "Data-driven prediction of battery cycle life before capacity degradation", Table 1 and
 * Supplementary Table 1), and the feature sets the early-life models use. Pure module.
 *
 * Every feature says which data it needs; a cell lacking that data has no value (NaN) and the
 * service refuses it by name instead of guessing.
 */

/** One cell's early-life inputs: ΔQ₁₀₀₋₁₀ statistics and its per-cycle series for cycles ≤ N. */
export interface EarlyCell {
  key: string;
  cycleLife: number | null;
  /** Log10 variance, min, mean, skewness, excess kurtosis and value at 2 V of ΔQ₁₀₀₋₁₀(V); null when the cell has no curve. */
  deltaQ: { logVar: number; min: number; mean: number; skew: number; kurt: number; endV: number } | null;
  /** Cycle numbers (ascending, all ≤ N) and same-length series (NaN = missing or flagged). */
  cycle: Float64Array;
  series: Partial<Record<EarlySeries, Float64Array>>;
}

export const EARLY_SERIES = [
  "pcl",
  "qdischarge_ah",
  "ir_ohm",
  "charge_time_min",
  "tavg_raw_c",
  "dqdv_min",
  "dqdv_var",
  "tmax_c",
] as const;
export type EarlySeries = (typeof EARLY_SERIES)[number];

export interface EarlyFeature {
  key: string;
  label: string;
  /** What the feature needs (for refusals): "ΔQ₁₀₀₋₁₀ curve" or a series name. */
  needs: string;
  value: (c: EarlyCell, n: number) => number;
}

/** Finite (cycle, value) pairs of a series within cycles [from, to]. */
function points(c: EarlyCell, name: EarlySeries, from: number, to: number): { x: number[]; y: number[] } {
  const s = c.series[name];
  const x: number[] = [];
  const y: number[] = [];
  if (!s) return { x, y };
  for (let i = 0; i < c.cycle.length; i++) {
    if (c.cycle[i] >= from && c.cycle[i] <= to && Number.isFinite(s[i])) {
      x.push(c.cycle[i]);
      y.push(s[i]);
    }
  }
  return { x, y };
}

function first(c: EarlyCell, name: EarlySeries, n: number): number {
  return points(c, name, 2, n).y[0] ?? NaN;
}

function last(c: EarlyCell, name: EarlySeries, n: number): number {
  const { y } = points(c, name, 2, n);
  return y.length ? y[y.length - 1] : NaN;
}

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function linearFit(x: number[], y: number[]): { slope: number; intercept: number } {
  if (x.length < 2) return { slope: NaN, intercept: NaN };
  const mx = x.reduce((a, b) => a + b, 0) / x.length;
  const my = y.reduce((a, b) => a + b, 0) / y.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
  }
  const slope = sxy / sxx;
  return { slope, intercept: my - slope * mx };
}

/** Trapezoidal integral over the cycle axis (gaps bridged linearly). */
function integral(x: number[], y: number[]): number {
  if (x.length < 2) return NaN;
  let s = 0;
  for (let i = 1; i < x.length; i++) s += ((y[i] + y[i - 1]) / 2) * (x[i] - x[i - 1]);
  return s;
}

const DQ = "ΔQ₁₀₀₋₁₀ curve";
const dq = (f: (d: NonNullable<EarlyCell["deltaQ"]>) => number) => (c: EarlyCell) => (c.deltaQ ? f(c.deltaQ) : NaN);

export const EARLY_FEATURES: readonly EarlyFeature[] = [
  { key: "dq_log_var", label: "log10 var ΔQ₁₀₀₋₁₀", needs: DQ, value: dq((d) => d.logVar) },
  { key: "dq_log_min", label: "log10 |min ΔQ₁₀₀₋₁₀|", needs: DQ, value: dq((d) => Math.log10(Math.abs(d.min))) },
  { key: "dq_log_skew", label: "log10 |skewness ΔQ₁₀₀₋₁₀|", needs: DQ, value: dq((d) => Math.log10(Math.abs(d.skew))) },
  { key: "dq_log_kurt", label: "log10 |kurtosis ΔQ₁₀₀₋₁₀|", needs: DQ, value: dq((d) => Math.log10(Math.abs(d.kurt))) },
  {
    key: "qd_2",
    label: "Discharge capacity, cycle 2",
    needs: "qdischarge_ah",
    value: (c, n) => first(c, "qdischarge_ah", n),
  },
  {
    key: "qd_max_minus_2",
    label: "Max discharge capacity − cycle 2",
    needs: "qdischarge_ah",
    value: (c, n) => {
      const { y } = points(c, "qdischarge_ah", 2, n);
      return y.length ? Math.max(...y) - y[0] : NaN;
    },
  },
  {
    key: "qd_slope",
    label: "Capacity fade slope, cycles 2–N",
    needs: "qdischarge_ah",
    value: (c, n) => {
      const p = points(c, "qdischarge_ah", 2, n);
      return linearFit(p.x, p.y).slope;
    },
  },
  {
    key: "qd_intercept",
    label: "Capacity fade intercept, cycles 2–N",
    needs: "qdischarge_ah",
    value: (c, n) => {
      const p = points(c, "qdischarge_ah", 2, n);
      return linearFit(p.x, p.y).intercept;
    },
  },
  {
    key: "charge_time_first5",
    label: "Mean charge time, first 5 cycles",
    needs: "charge_time_min",
    value: (c, n) => {
      const { y } = points(c, "charge_time_min", 2, Math.min(6, n));
      return y.length ? y.reduce((a, b) => a + b, 0) / y.length : NaN;
    },
  },
  {
    key: "temp_integral",
    label: "Integral of mean temperature, cycles 2–N",
    needs: "tavg_raw_c",
    value: (c, n) => {
      const p = points(c, "tavg_raw_c", 2, n);
      return integral(p.x, p.y);
    },
  },
  {
    key: "ir_min",
    label: "Min internal resistance, cycles 2–N",
    needs: "ir_ohm",
    value: (c, n) => {
      const { y } = points(c, "ir_ohm", 2, n);
      return y.length ? Math.min(...y) : NaN;
    },
  },
  {
    key: "ir_diff",
    label: "Internal resistance, cycle N − cycle 2",
    needs: "ir_ohm",
    value: (c, n) => last(c, "ir_ohm", n) - first(c, "ir_ohm", n),
  },
  {
    key: "dqdv_var_log_ratio",
    label: "log10 dQ/dV variance, cycle N / cycle 10",
    needs: "dqdv_var",
    value: (c, n) => {
      const { x, y } = points(c, "dqdv_var", 2, n);
      const at10 = y[x.findIndex((v) => v >= 10)];
      return Math.log10(y[y.length - 1] / at10);
    },
  },
  {
    key: "dqdv_min_diff",
    label: "dQ/dV minimum, cycle N − cycle 10",
    needs: "dqdv_min",
    value: (c, n) => {
      const { x, y } = points(c, "dqdv_min", 2, n);
      return y[y.length - 1] - y[x.findIndex((v) => v >= 10)];
    },
  },
  {
    key: "qd_fade_2_n",
    label: "Discharge capacity change, cycles 2–6 → N−4…N (mean of 5)",
    needs: "qdischarge_ah",
    value: (c, n) => {
      const a = points(c, "qdischarge_ah", 2, 6).y;
      const b = points(c, "qdischarge_ah", n - 4, n).y;
      return a.length && b.length ? mean(b) - mean(a) : NaN;
    },
  },
  {
    key: "tmax_max",
    label: "Max cell temperature, cycles 2–N",
    needs: "tmax_c",
    value: (c, n) => {
      const { y } = points(c, "tmax_c", 2, n);
      return y.length ? Math.max(...y) : NaN;
    },
  },
  {
    key: "dqdv_var_log_n",
    label: "log10 dQ/dV variance at cycle N",
    needs: "dqdv_var",
    value: (c, n) => Math.log10(last(c, "dqdv_var", n)),
  },
  {
    key: "charge_time_mean",
    label: "Mean charge time, cycles 2–N",
    needs: "charge_time_min",
    value: (c, n) => {
      const { y } = points(c, "charge_time_min", 2, n);
      return y.length ? mean(y) : NaN;
    },
  },
  {
    key: "pcl_slope",
    label: "PCL slope, cycles 2–N (per cycle)",
    needs: "pcl",
    value: (c, n) => {
      const p = points(c, "pcl", 2, n);
      return linearFit(p.x, p.y).slope;
    },
  },
  {
    key: "pcl_intercept",
    label: "PCL fit intercept, cycles 2–N",
    needs: "pcl",
    value: (c, n) => {
      const p = points(c, "pcl", 2, n);
      return linearFit(p.x, p.y).intercept;
    },
  },
  { key: "pcl_at_n", label: "PCL at cycle N", needs: "pcl", value: (c, n) => last(c, "pcl", n) },
];

const byKey = new Map(EARLY_FEATURES.map((f) => [f.key, f]));

export function earlyFeature(key: string): EarlyFeature {
  const f = byKey.get(key);
  if (!f) throw new Error(`unknown early-life feature ${key}`);
  return f;
}

/**
 * Severson et al.'s three feature sets (variance, discharge, full); "fade", which needs only PCL
 * and so works on uploads without discharge curves; and "extended": the discharge
 * set plus how the early dQ/dV curve changed between cycle 10 and cycle N (variance ratio, shift
 * of the minimum).
 */
const BASE_SETS = {
  variance: ["dq_log_var"],
  discharge: ["dq_log_min", "dq_log_var", "dq_log_skew", "dq_log_kurt", "qd_2", "qd_max_minus_2"],
  full: [
    "dq_log_min",
    "dq_log_var",
    "qd_slope",
    "qd_intercept",
    "qd_2",
    "charge_time_first5",
    "temp_integral",
    "ir_min",
    "ir_diff",
  ],
  /** Needs only PCL (every dataset, uploads included): how fast capacity fades in the first N cycles. */
  fade: ["pcl_slope", "pcl_intercept", "pcl_at_n"],
  extended: [
    "dq_log_min",
    "dq_log_var",
    "dq_log_skew",
    "dq_log_kurt",
    "qd_2",
    "qd_max_minus_2",
    "dqdv_var_log_ratio",
    "dqdv_min_diff",
  ],
  /** Severson's full set plus more of the summary fields of the first N cycles: capacity change
   * 2 → N, maximum temperature, mean charge time and the dQ/dV variance (at N and its change from
   * cycle 10). */
  summary: [
    "dq_log_min",
    "dq_log_var",
    "qd_slope",
    "qd_intercept",
    "qd_2",
    "charge_time_first5",
    "temp_integral",
    "ir_min",
    "ir_diff",
    "qd_fade_2_n",
    "tmax_max",
    "dqdv_var_log_n",
    "dqdv_var_log_ratio",
    "charge_time_mean",
  ],
} as const satisfies Record<string, readonly string[]>;

/** Ensembles: each member set gets its own model, and the prediction is the mean of the members'
 * log10 cycle lives. An ensemble's features are the union of its members'. */
const ENSEMBLE_MEMBERS = { ensemble: ["summary", "extended"] } as const satisfies Record<
  string,
  readonly (keyof typeof BASE_SETS)[]
>;

type SetName = keyof typeof BASE_SETS | keyof typeof ENSEMBLE_MEMBERS;
const union = (sets: readonly (keyof typeof BASE_SETS)[]) => [...new Set(sets.flatMap((m) => BASE_SETS[m]))];

export const FEATURE_SETS: Record<SetName, readonly string[]> = {
  ...BASE_SETS,
  ensemble: union(ENSEMBLE_MEMBERS.ensemble),
};
export type FeatureSet = keyof typeof FEATURE_SETS;

/** The member sets of an ensemble feature set; null for a plain one. */
export function ensembleMembers(set: FeatureSet): readonly FeatureSet[] | null {
  return (ENSEMBLE_MEMBERS as Record<string, readonly FeatureSet[]>)[set] ?? null;
}

/** The feature matrix of some cells for a feature set (rows: cells; NaN where a cell lacks data). */
export function featureMatrix(cells: EarlyCell[], keys: readonly string[], n: number): number[][] {
  const fs = keys.map(earlyFeature);
  return cells.map((c) => fs.map((f) => f.value(c, n)));
}
