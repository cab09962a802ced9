/** Shared Energy Lab types and constants (pure: no database, safe for the browser bundle). */

export type CovariateKind = "numeric" | "categorical";
/** past: observed with the target (usable only as lagged input); future: known in advance. */
export type CovariateRole = "past" | "future";

export interface CovariateSpec {
  name: string;
  kind: CovariateKind;
  role: CovariateRole;
}

/** Bit flags of energy_series_points.flags. */
export const POINT_FLAGS = {
  /** Suspect value kept as recorded (e.g. a meter dropout): exclude from "clean" data. */
  DROPOUT: 1,
  /** Value produced by gap filling, not measured. */
  FILLED: 2,
} as const;

export const BUILTIN_STEEL_NAME = "Steel plant (UCI)";
export const BUILTIN_NAB_NAME = "NAB machine temperature";

export const UPLOAD_LIMITS = {
  maxBytes: 20 * 1024 * 1024,
  maxRows: 1_000_000,
  /** A mapped column may have at most this fraction of non-empty cells that do not parse. */
  badCellTolerance: 0.05,
} as const;
