/**
 * REST operations of battery testing: test jobs of a model version on cells or an upload (tag "Test
 * jobs"). The exports (GET /test-jobs/{id}/result.{csv|xlsx}) are plain downloads, documented in document.ts.
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const testingOperations: RestOperation[] = [
  {
    procedure: "testJobs.create",
    method: "POST",
    path: "/test-jobs",
    summary: "Test a model version on cells or an upload",
    tag: "Test jobs",
    output: out.testJob,
    errors: [404],
  },
  {
    procedure: "testJobs.list",
    method: "GET",
    path: "/test-jobs",
    summary: "Test jobs",
    tag: "Test jobs",
    output: z.array(out.testJob).describe("Test jobs"),
  },
  {
    procedure: "testJobs.get",
    method: "GET",
    path: "/test-jobs/{id}",
    summary: "Status, request and metrics",
    tag: "Test jobs",
    output: out.testJob,
  },
  {
    procedure: "testJobs.cell",
    method: "GET",
    path: "/test-jobs/{id}/cells/{cellKey}",
    summary: "One cell's predicted vs true and residuals over cycles",
    tag: "Test jobs",
    output: out.testCell,
  },
  {
    procedure: "testJobs.residuals",
    method: "GET",
    path: "/test-jobs/{id}/residuals",
    summary: "Residual histogram and per-cell boxes of one target",
    tag: "Test jobs",
    output: out.residuals,
  },
  {
    procedure: "testJobs.cancel",
    method: "POST",
    path: "/test-jobs/{id}/cancel",
    summary: "Cancel a test job",
    tag: "Test jobs",
    output: out.cancelledTestJob,
    errors: [409],
  },
  {
    procedure: "testJobs.delete",
    method: "DELETE",
    path: "/test-jobs/{id}",
    summary: "Delete a test job and its exports",
    tag: "Test jobs",
    output: out.deletedRow,
  },
];
