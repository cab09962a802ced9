import type { MetricSet, TestTarget } from "../../../server/schemas/testing";

/** A metric for display: RMSPE as %, RUL errors in cycles, PCL errors as fractions. */
export function fmtMetric(name: keyof MetricSet, v: number | undefined | null, target: TestTarget): string {
  if (v === undefined || v === null || !Number.isFinite(v)) return "–";
  if (name === "rmspe") return `${(100 * v).toFixed(3)}%`;
  if (name === "r2") return v.toFixed(4);
  if (name === "n" || name === "rmspeExcluded") return v.toLocaleString("en");
  if (target === "rul") return name === "mse" ? v.toFixed(1) : v.toFixed(2);
  return v.toPrecision(4);
}

export const METRIC_LABELS: Record<"rmspe" | "mse" | "rmse" | "r2" | "mae", string> = {
  rmspe: "RMSPE",
  mse: "MSE",
  rmse: "RMSE",
  r2: "R²",
  mae: "MAE",
};
export const SHOWN_METRICS = ["rmspe", "mse", "rmse", "r2"] as const;
