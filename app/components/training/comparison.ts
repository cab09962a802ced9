/** Results of a task's runs as a comparison table (algorithms × metrics), and its CSV. Pure. */
import type { RouterOutputs } from "../../lib/trpc";

type Task = RouterOutputs["training"]["get"];
export type Run = Task["runs"][number];

interface MeanStd {
  mean: number;
  std: number;
}
type Summary = Record<"train" | "val" | "test", Partial<Record<"pcl" | "rul", Partial<Record<string, MeanStd>>>>>;

export const METRICS = [
  { key: "rmspe", label: "RMSPE (%)", better: "low", scale: 100 },
  { key: "rmse", label: "RMSE", better: "low", scale: 1 },
  { key: "mse", label: "MSE", better: "low", scale: 1 },
  { key: "mae", label: "MAE", better: "low", scale: 1 },
  { key: "r2", label: "R²", better: "high", scale: 1 },
] as const;

export interface Column {
  split: "val" | "test";
  target: "pcl" | "rul";
  metric: (typeof METRICS)[number];
  id: string;
}

export function columnsFor(targets: ("pcl" | "rul")[]): Column[] {
  const out: Column[] = [];
  for (const split of ["val", "test"] as const)
    for (const target of targets)
      for (const metric of METRICS)
        out.push({
          split,
          target,
          metric,
          id: `${split}.${target}.${metric.key}`,
        });
  return out;
}

export function cellValue(run: Run, c: Column): MeanStd | null {
  const s = (run.result as { summary?: Summary } | null)?.summary;
  return s?.[c.split]?.[c.target]?.[c.metric.key] ?? null;
}

/** Per column, the id of the run with the best mean. */
export function bestRuns(runs: Run[], cols: Column[]): Record<string, number | null> {
  const best: Record<string, number | null> = {};
  for (const c of cols) {
    let id: number | null = null;
    let val = 0;
    for (const r of runs) {
      const v = cellValue(r, c);
      if (!v || !Number.isFinite(v.mean)) continue;
      if (id === null || (c.metric.better === "low" ? v.mean < val : v.mean > val)) {
        id = r.id;
        val = v.mean;
      }
    }
    best[c.id] = id;
  }
  return best;
}

export function formatValue(v: MeanStd | null, c: Column, repeats: number): string {
  if (!v || !Number.isFinite(v.mean)) return "–";
  const digits = c.metric.key === "rmspe" ? 3 : c.target === "pcl" && c.metric.key !== "r2" ? 5 : 4;
  const f = (x: number) =>
    c.metric.key === "mse" && c.target === "pcl"
      ? (x * c.metric.scale).toExponential(3)
      : (x * c.metric.scale).toPrecision(digits);
  return repeats > 1 ? `${f(v.mean)} ± ${f(v.std)}` : f(v.mean);
}

const csvCell = (s: string | number) => {
  const t = String(s);
  return /[",\n]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
};

/** One row per algorithm: status, kept epoch(s), and mean and std of every metric (raw units; RMSPE as a fraction). */
export function comparisonCsv(runs: Run[], targets: ("pcl" | "rul")[]): string {
  const cols = columnsFor(targets);
  const header = [
    "algorithm",
    "status",
    "kept_seed_epochs",
    ...cols.flatMap((c) => [
      `${c.split}_${c.target}_${c.metric.key}_mean`,
      `${c.split}_${c.target}_${c.metric.key}_std`,
    ]),
  ];
  const rows = runs.map((r) => {
    const seeds = ((r.result as { seeds?: { seed: number; bestEpoch: number }[] } | null)?.seeds ?? [])
      .map((s) => `${s.seed}:${s.bestEpoch}`)
      .join(" ");
    const values = cols.flatMap((c): (string | number)[] => {
      const v = cellValue(r, c);
      return v ? [v.mean, v.std] : ["", ""];
    });
    return [r.algorithm, r.status, seeds, ...values];
  });
  return [header, ...rows].map((row: (string | number)[]) => row.map(csvCell).join(",")).join("\n") + "\n";
}

export function downloadText(fileName: string, text: string, type = "text/csv") {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
