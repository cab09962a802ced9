/** A quantile detector's score as a formula (the same in every language). */
export function scoreFormula(mode: "raw" | "width"): string {
  return mode === "width" ? "|y − median| / (q90 − q10)" : "|y − median|";
}
