/**
 * REST operations of jobs: the queue's view of every task a user started (tag "Jobs").
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const jobsOperations: RestOperation[] = [
  {
    procedure: "jobs.list",
    method: "GET",
    path: "/jobs",
    summary: "Own jobs (training, tests, energy)",
    tag: "Jobs",
    output: z.array(out.job).describe("Jobs"),
  },
  {
    procedure: "jobs.get",
    method: "GET",
    path: "/jobs/{id}",
    summary: "A job's status and progress",
    tag: "Jobs",
    output: out.job,
  },
  {
    procedure: "jobs.cancel",
    method: "POST",
    path: "/jobs/{id}/cancel",
    summary: "Cancel a job (409 when it has already finished)",
    tag: "Jobs",
    output: out.job,
    errors: [409],
  },
];
