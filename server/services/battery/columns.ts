/**
 * The per-cycle value columns of battery_cycles, shared by the seed, uploads, analysis and
 * (later) training. Pure module: no database access.
 */

export interface FeatureInfo {
  key: string;
  label: string;
  unit: string;
  description: string;
}

/** Built-in input features, each with its own column in battery_cycles. */
export const COLUMN_FEATURES: readonly FeatureInfo[] = [
  {
    key: "kong_slope",
    label: "Kong slope",
    unit: "Ah",
    description: "Kong et al. discharge-curve fit constant term, 10-cycle trailing mean",
  },
  {
    key: "kong_intercept",
    label: "Kong intercept",
    unit: "1/Ah",
    description: "Kong et al. coefficient of −Q², 10-cycle trailing mean",
  },
  {
    key: "tavg_c",
    label: "Mean temperature (smoothed)",
    unit: "°C",
    description: "Average can temperature, 10-cycle trailing mean",
  },
  {
    key: "ir_ohm",
    label: "Internal resistance",
    unit: "Ω",
    description: "Raw summary.IR (built-in: cells 1–83 whole life, 84–124 cycles 1–100)",
  },
  {
    key: "qcharge_ah",
    label: "Charge capacity",
    unit: "Ah",
    description: "Raw summary.QCharge (built-in: cells 1–83 whole life, 84–124 cycles 1–100)",
  },
  {
    key: "tmin_c",
    label: "Min temperature",
    unit: "°C",
    description: "Raw summary.Tmin (built-in: batch 1 only to about cycle 100)",
  },
  {
    key: "tmax_c",
    label: "Max temperature",
    unit: "°C",
    description: "Raw summary.Tmax (built-in: cells 1–83 whole life, 84–124 cycles 1–100)",
  },
  {
    key: "charge_time_min",
    label: "Charge time",
    unit: "min",
    description: "Raw summary.chargetime (built-in: cells 1–83 whole life, 84–124 cycles 1–100)",
  },
  {
    key: "tavg_raw_c",
    label: "Mean temperature (raw)",
    unit: "°C",
    description: "Raw summary.Tavg (built-in: cells 1–83 whole life, 84–124 cycles 1–100)",
  },
  {
    key: "dqdv_min",
    label: "dQ/dV minimum",
    unit: "Ah/V",
    description: "Minimum of the discharge dQ/dV over 2.7–3.3 V (built-in: cycles 2–100)",
  },
  {
    key: "dqdv_max",
    label: "dQ/dV maximum",
    unit: "Ah/V",
    description: "Maximum of the discharge dQ/dV over 2.7–3.3 V (built-in: cycles 2–100)",
  },
  {
    key: "dqdv_var",
    label: "dQ/dV variance",
    unit: "(Ah/V)²",
    description: "Variance of the discharge dQ/dV over 2.7–3.3 V (built-in: cycles 2–100)",
  },
];

/**
 * Stored but derived from the target: PCL = 1 − QD / nominal capacity. Never offered as an input
 * for PCL or RUL (it would leak the answer).
 */
export const TARGET_DERIVED_COLUMNS = ["qdischarge_ah"] as const;

export const TARGETS = ["rul", "pcl"] as const;
export type Target = (typeof TARGETS)[number];

export const COLUMN_FEATURE_KEYS = COLUMN_FEATURES.map((f) => f.key);
const columnSet = new Set<string>(COLUMN_FEATURE_KEYS);

export function isColumnFeature(key: string): boolean {
  return columnSet.has(key);
}

export function isTargetDerived(key: string): boolean {
  return (TARGET_DERIVED_COLUMNS as readonly string[]).includes(key);
}

/** camelCase property name of a snake_case column (the Knex config maps result keys). */
export function camel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

export function featureInfo(key: string): FeatureInfo {
  const base = trailingMeanBase(key);
  if (base) {
    const b = featureInfo(base);
    return {
      key,
      label: `${b.label}, ${TRAILING_WINDOW}-cycle trailing mean`,
      unit: b.unit,
      description: `${b.description}; mean of the last ${TRAILING_WINDOW} cycles' values (Wen et al.'s smoothing), computed when read`,
    };
  }
  return COLUMN_FEATURES.find((f) => f.key === key) ?? { key, label: key, unit: "", description: "Uploaded feature" };
}

/**
 * Derived features: Wen et al.'s 10-cycle trailing mean of a stored feature, named
 * `<feature>_mean10`, computed when read (never stored). Offered for every input feature of a
 * dataset except the built-in ones that already are trailing means.
 */
export const TRAILING_WINDOW = 10;
const TRAILING_SUFFIX = `_mean${TRAILING_WINDOW}`;

export function trailingMeanBase(key: string): string | null {
  return key.endsWith(TRAILING_SUFFIX) ? key.slice(0, -TRAILING_SUFFIX.length) : null;
}

export function derivedFeatureKeys(features: readonly string[]): string[] {
  const smoothed = new Set<string>(SMOOTHED_FEATURES);
  return features.filter((f) => !smoothed.has(f) && !trailingMeanBase(f)).map((f) => `${f}${TRAILING_SUFFIX}`);
}

/** Whether a dataset with these stored features offers `key` (stored, or a trailing mean of one). */
export function offersFeature(features: readonly string[], key: string): boolean {
  return features.includes(key) || derivedFeatureKeys(features).includes(key);
}

/** The stored series a feature is read from (itself, or the base of a trailing mean). */
export function storedFeature(key: string): string {
  return trailingMeanBase(key) ?? key;
}

/**
 * Trailing mean over the last `window` cycles of a series (rows in cycle order): the mean of the
 * finite values among rows i − window + 1 … i (fewer at the start); NaN when none is finite.
 * Reads nothing after row i.
 */
export function trailingMean(values: ArrayLike<number>, window = TRAILING_WINDOW): Float64Array {
  const out = new Float64Array(values.length);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) {
      sum += values[i];
      n++;
    }
    const drop = i - window;
    if (drop >= 0 && Number.isFinite(values[drop])) {
      sum -= values[drop];
      n--;
    }
    out[i] = n > 0 ? sum / n : NaN;
  }
  return out;
}

/** The built-in dataset's name (one row, source = builtin). */
export const BUILTIN_DATASET_NAME = "Severson 124 LFP cells (Wen et al. preprocessing)";
export const BUILTIN_NOMINAL_AH = 1.1;
/** Raw summary fields (summary v2: cells 1–83 whole life, 84–124 cycles 1–100). */
export const SUMMARY_FEATURES = ["ir_ohm", "qcharge_ah", "tmin_c", "tmax_c", "charge_time_min", "tavg_raw_c"] as const;
/** Early-life discharge dQ/dV statistics (built-in: cycles 2–100 of every cell). */
export const EARLY_DQDV_FEATURES = ["dqdv_min", "dqdv_max", "dqdv_var"] as const;

/**
 * Raw values that are recording faults, not cell behaviour: kept in battery_cycles as recorded
 * (visible, with the rule that flags them) but missing (NaN) in the series that analysis and
 * training read. One definition, used by the seed and by the coverage report.
 */
export const OUTLIER_RULES: readonly { column: string; rule: string; op: "=" | ">"; limit: number }[] = [
  { column: "ir_ohm", rule: "internal resistance exactly 0", op: "=", limit: 0 },
  { column: "qcharge_ah", rule: "charge capacity above 1.2 Ah", op: ">", limit: 1.2 },
  { column: "qdischarge_ah", rule: "discharge capacity above 1.2 Ah", op: ">", limit: 1.2 },
  { column: "charge_time_min", rule: "charge time above 60 min", op: ">", limit: 60 },
];

export function outlierRule(column: string, v: number): string | null {
  for (const r of OUTLIER_RULES)
    if (r.column === column && Number.isFinite(v) && (r.op === "=" ? v === r.limit : v > r.limit)) return r.rule;
  return null;
}
export const SMOOTHED_FEATURES = ["kong_slope", "kong_intercept", "tavg_c"] as const;
