/**
 * REST operations of early-life cycle-life prediction (tag "Early-life prediction"). The exports
 * (GET /early-life/tasks/{id}/result.{csv|xlsx}) are plain downloads, documented in document.ts.
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const earlyLifeOperations: RestOperation[] = [
  {
    procedure: "earlyLife.create",
    method: "POST",
    path: "/early-life/tasks",
    summary: "Create an early-life task: predict each cell's cycle life from its first 100 cycles (queued job)",
    tag: "Early-life prediction",
    output: out.earlyLifeTask,
    errors: [404],
  },
  {
    procedure: "earlyLife.list",
    method: "GET",
    path: "/early-life/tasks",
    summary: "Early-life tasks (RMSE and MAPE per test group; per-cell results from GET /early-life/tasks/{id})",
    tag: "Early-life prediction",
    output: z.array(out.earlyLifeTaskRow).describe("Early-life tasks"),
  },
  {
    procedure: "earlyLife.get",
    method: "GET",
    path: "/early-life/tasks/{id}",
    summary: "Status, and once SUCCEEDED predicted vs true cycle life per cell with RMSE and MAPE per group",
    tag: "Early-life prediction",
    output: out.earlyLifeTask,
  },
  {
    procedure: "earlyLife.cancel",
    method: "POST",
    path: "/early-life/tasks/{id}/cancel",
    summary: "Cancel an early-life task while it waits or runs (cancelled: false once it has ended)",
    tag: "Early-life prediction",
    output: out.cancelledEarlyLifeTask,
  },
];
