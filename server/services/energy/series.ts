/**
 * The series API the models build on: one asset's points as typed arrays.
 * Access: the user's own assets and built-in ones (NOT_FOUND otherwise).
 */
import { db } from "../../../db/db.js";
import { readableAsset } from "./access.js";
import type { CovariateKind, CovariateRole } from "./types.js";

export interface NumericCovariate {
  name: string;
  kind: "numeric";
  role: CovariateRole;
  /** NaN where missing. */
  values: Float32Array;
}
export interface CategoricalCovariate {
  name: string;
  kind: "categorical";
  role: CovariateRole;
  /** The category per point (null where missing). */
  values: (string | null)[];
  /** Codes into `categories` (−1 where missing), for models that want integers. */
  codes: Int32Array;
  categories: string[];
}
export type CovariateSeries = NumericCovariate | CategoricalCovariate;

export interface LoadedSeries {
  assetId: number;
  targetName: string;
  unit: string | null;
  /** Epoch milliseconds (UTC), ascending, unique. */
  timestamps: Float64Array;
  /** NaN where missing. */
  values: Float32Array;
  /** POINT_FLAGS bits per point (DROPOUT = 1, FILLED = 2). */
  flags: Uint8Array;
  covariates: CovariateSeries[];
  frequencySeconds: number | null;
}

export interface LoadSeriesArgs {
  assetId: number;
  userId: number;
  /** Inclusive bounds (epoch ms or Date). */
  from?: number | Date;
  to?: number | Date;
}

/** A JSON column of a stored point as read (MariaDB returns JSON as text). */
export function parseJson(v: unknown): unknown {
  return typeof v === "string" ? JSON.parse(v) : v;
}

export async function loadSeries({ assetId, userId, from, to }: LoadSeriesArgs): Promise<LoadedSeries> {
  const asset = await readableAsset(userId, assetId);
  const q = db()("energySeriesPoints").where({ assetId }).orderBy("ts").select("ts", "value", "covariates", "flags");
  if (from !== undefined) q.where("ts", ">=", new Date(from));
  if (to !== undefined) q.where("ts", "<=", new Date(to));
  const rows: { ts: Date; value: number | null; covariates: unknown; flags: number }[] = await q;

  const n = rows.length;
  const timestamps = new Float64Array(n);
  const values = new Float32Array(n);
  const flags = new Uint8Array(n);
  const specs = asset.covariates ?? [];
  const numeric = specs.map((s) => (s.kind === "numeric" ? new Float32Array(n).fill(NaN) : null));
  const cats = specs.map((s) => (s.kind === "categorical" ? new Array<string | null>(n).fill(null) : null));
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    timestamps[i] = r.ts.getTime();
    values[i] = r.value === null ? NaN : r.value;
    flags[i] = r.flags;
    if (specs.length && r.covariates != null) {
      const c = parseJson(r.covariates) as (number | string | null)[];
      for (let j = 0; j < specs.length; j++) {
        const v = c[j];
        if (numeric[j]) numeric[j]![i] = typeof v === "number" ? v : NaN;
        else if (v !== null && v !== undefined) cats[j]![i] = String(v);
      }
    }
  }
  const covariates: CovariateSeries[] = specs.map((s, j) => {
    if (s.kind === "numeric") return { name: s.name, kind: "numeric", role: s.role, values: numeric[j]! };
    const vals = cats[j]!;
    const categories = [...new Set(vals.filter((v): v is string => v !== null))].sort();
    const index = new Map(categories.map((c, k) => [c, k]));
    const codes = Int32Array.from(vals, (v) => (v === null ? -1 : index.get(v)!));
    return {
      name: s.name,
      kind: "categorical" as CovariateKind & "categorical",
      role: s.role,
      values: vals,
      codes,
      categories,
    };
  });
  return {
    assetId,
    targetName: asset.targetName,
    unit: asset.unit,
    timestamps,
    values,
    flags,
    covariates,
    frequencySeconds: asset.frequencySeconds,
  };
}

/** Points [start, end) of a loaded series, every array sliced alike. */
export function sliceSeries(s: LoadedSeries, start: number, end: number): LoadedSeries {
  return {
    ...s,
    timestamps: s.timestamps.subarray(start, end),
    values: s.values.subarray(start, end),
    flags: s.flags.subarray(start, end),
    covariates: s.covariates.map((c) =>
      c.kind === "numeric"
        ? { ...c, values: c.values.subarray(start, end) }
        : { ...c, values: c.values.slice(start, end), codes: c.codes.subarray(start, end) },
    ),
  };
}
