import { router, protectedProcedure } from "../trpc/init.js";
import {
  analysisInput,
  batteryIdInput,
  datasetIdInput,
  scatterInput,
  trendsInput,
  uploadInput,
} from "../schemas/battery.js";
import * as datasets from "../services/battery/datasets.js";
import * as analysis from "../services/battery/analysis.js";
import * as uploads from "../services/battery/uploads.js";
import { datasetCoverage } from "../services/battery/coverage.js";

/** Battery Lab data: datasets (built-in + own uploads), cells, presets, analysis and uploads. */
export const batteryRouter = router({
  listDatasets: protectedProcedure.query(({ ctx }) => datasets.listDatasets(ctx.user.id)),
  getDataset: protectedProcedure
    .input(datasetIdInput)
    .query(({ ctx, input }) => datasets.getDataset(input.datasetId, ctx.user.id)),
  listCells: protectedProcedure
    .input(datasetIdInput)
    .query(({ ctx, input }) => datasets.listCells({ datasetId: input.datasetId, userId: ctx.user.id })),
  presets: protectedProcedure
    .input(datasetIdInput)
    .query(({ ctx, input }) => datasets.listPresets({ datasetId: input.datasetId, userId: ctx.user.id })),
  /** Statistics per feature and target, correlations with RUL/PCL and the full matrix (full data). */
  analysis: protectedProcedure
    .input(analysisInput)
    .query(({ ctx, input }) => analysis.analyse({ ...input, userId: ctx.user.id })),
  /** Per-cell lines (downsampled for display) and the PCL degradation rate of every chosen cell. */
  trends: protectedProcedure
    .input(trendsInput)
    .query(({ ctx, input }) => analysis.trends({ ...input, userId: ctx.user.id })),
  /** Which cells and cycles have each feature, the cells with a ΔQ₁₀₀₋₁₀ curve, and the flagged raw values. */
  coverage: protectedProcedure
    .input(datasetIdInput)
    .query(({ ctx, input }) => datasetCoverage(ctx.user.id, input.datasetId)),
  scatter: protectedProcedure
    .input(scatterInput)
    .query(({ ctx, input }) => analysis.scatter({ ...input, userId: ctx.user.id })),
  /** A CSV/XLSX file as base64; an invalid file returns { ok: false, problems } and stores nothing. */
  upload: protectedProcedure.input(uploadInput).mutation(({ ctx, input }) => uploads.createUpload(ctx.user.id, input)),
  listUploads: protectedProcedure.query(({ ctx }) => uploads.listUploads(ctx.user.id)),
  deleteUpload: protectedProcedure
    .input(batteryIdInput)
    .mutation(({ ctx, input }) => uploads.deleteUpload(ctx.user.id, input.id)),
  /** Deletes one of the caller's uploaded datasets (and its upload); the built-in one is FORBIDDEN. */
  deleteDataset: protectedProcedure.input(datasetIdInput).mutation(async ({ ctx, input }) => {
    const ds = await datasets.writableDataset(input.datasetId, ctx.user.id);
    return uploads.deleteUpload(ctx.user.id, ds.uploadId!);
  }),
});
