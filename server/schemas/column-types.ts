/**
 * The shapes of db/'s typed columns (db/models/column-types.ts), declared where they are defined.
 * Types only: db/ never imports this file, interface merging carries the shapes down to it.
 */
import type { EarlyLifeConfig, EarlyLifeResult } from "./early-life.js";
import type { CellMetrics, TestJobConfig, TestJobResult } from "./testing.js";
import type { Algorithm, TargetChoice, TaskConfig } from "./training.js";
import type { CovariateSpec } from "../services/energy/types.js";

declare module "../../db/models/column-types.js" {
  interface ColumnTypes {
    algorithm: Algorithm;
    targetChoice: TargetChoice;
    trainingTaskConfig: TaskConfig;
    testJobConfig: TestJobConfig;
    testJobResult: TestJobResult;
    testCellMetrics: CellMetrics;
    earlyLifeConfig: EarlyLifeConfig;
    earlyLifeResult: EarlyLifeResult;
    covariateSpec: CovariateSpec;
  }
}
