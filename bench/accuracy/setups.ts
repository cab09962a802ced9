/**
 * The set-ups of the battery accuracy benchmarks (Wen et al.'s cases, docs/ml.md) and the task config
 * each one trains or evaluates with, shared by bench/accuracy/run.ts and nearest-neighbour.ts so that
 * both read the same inputs, split and targets.
 */
import { createTaskInput, SYSTEM_SETTINGS, type TaskConfig, type TaskInput } from "../../server/schemas/training.js";

export const SETUPS = [
  { key: "A-pcl", split: "case_a", target: "pcl", metric: "rmspe", label: "Case A, PCL: SoH RMSPE (fraction)" },
  { key: "B-pcl", split: "case_b", target: "pcl", metric: "rmspe", label: "Case B, PCL: SoH RMSPE (fraction)" },
  { key: "A-rul", split: "case_a", target: "rul", metric: "rmse", label: "Case A, RUL: RMSE (cycles)" },
  { key: "C-rul", split: "case_c", target: "rul", metric: "rmse", label: "Case C, RUL: RMSE (cycles)" },
] as const;
export type Setup = (typeof SETUPS)[number];

/** The 3 features every built-in cell has (+ the cycle number the samples append). */
export const FEATURES = ["kong_slope", "kong_intercept", "tavg_c"];

/** A validated task config for one set-up on the built-in dataset; `extra` sets the algorithm and hyper-parameters. */
export function setupConfig(datasetId: number, setup: Setup, extra: Partial<TaskInput> = {}): TaskConfig {
  return {
    ...createTaskInput.parse({
      name: `bench ${setup.key}`,
      datasetId,
      split: setup.split,
      target: setup.target,
      features: FEATURES,
      algorithms: ["baseline"],
      seed: 1,
      ...extra,
    }),
    system: SYSTEM_SETTINGS,
  };
}
