import { router, protectedProcedure } from "../trpc/init.js";
import {
  createTestJobInput,
  listTestJobsInput,
  testJobCellInput,
  testJobIdInput,
  testJobResidualsInput,
} from "../schemas/testing.js";
import * as tests from "../services/testing/test-jobs.js";
import { exportLocale } from "../i18n/locales.js";

/**
 * Battery Lab test jobs: one model version on built-in cells or an upload, run by the worker
 * (battery.test), followed live with jobs.events({ jobId }). Exports are downloaded from
 * GET /api/exports/:id/result.csv | result.xlsx (server/routes/exports.ts).
 */
export const testingRouter = router({
  /** Validates (same schema as the form; a missing feature names the field), enqueues the job. */
  create: protectedProcedure
    .input(createTestJobInput)
    // The XLSX export speaks the language of the page that started the test (else the user's stored one).
    .mutation(({ ctx, input }) =>
      tests.createTestJob(ctx.user.id, { ...input, locale: exportLocale(ctx.user, input.locale) }),
    ),
  list: protectedProcedure
    .input(listTestJobsInput)
    .query(({ ctx, input }) => tests.listTestJobs(ctx.user.id, input.limit)),
  /** Status, request and metrics (overall and per cell). */
  get: protectedProcedure.input(testJobIdInput).query(({ ctx, input }) => tests.getTestJob(ctx.user.id, input.id)),
  /** One cell's predicted vs true and residuals over cycles (downsampled for display). */
  cell: protectedProcedure
    .input(testJobCellInput)
    .query(({ ctx, input }) => tests.testJobCell(ctx.user.id, input.id, input.cellKey, input.maxPoints)),
  /** Residual histogram (all samples) and per-cell residual boxes of one target. */
  residuals: protectedProcedure
    .input(testJobResidualsInput)
    .query(({ ctx, input }) => tests.testJobResiduals(ctx.user.id, input.id, input.target, input.bins)),
  cancel: protectedProcedure
    .input(testJobIdInput)
    .mutation(({ ctx, input }) => tests.cancelTestJob(ctx.user.id, input.id)),
  /** Removes the test job, its results and its export files. */
  delete: protectedProcedure
    .input(testJobIdInput)
    .mutation(({ ctx, input }) => tests.deleteTestJob(ctx.user.id, input.id)),
});
