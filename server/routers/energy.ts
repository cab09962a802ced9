import { router, protectedProcedure } from "../trpc/init.js";
import {
  assetCreateInput,
  assetIdInput,
  assetRenameInput,
  assetSeriesInput,
  evaluateBaselineInput,
  uploadCommitInput,
  uploadInspectInput,
  uploadListInput,
} from "../schemas/energy.js";
import * as assets from "../services/energy/assets.js";
import * as uploads from "../services/energy/uploads.js";
import { evaluateSeasonalNaive } from "../services/energy/evaluate.js";

const assetsRouter = router({
  /** Own assets and built-in ones (builtIn/readOnly true). */
  list: protectedProcedure.query(({ ctx }) => assets.listAssets(ctx.user.id)),
  get: protectedProcedure.input(assetIdInput).query(({ ctx, input }) => assets.getAsset(ctx.user.id, input.id)),
  create: protectedProcedure
    .input(assetCreateInput)
    .mutation(({ ctx, input }) => assets.createAsset(ctx.user.id, input)),
  rename: protectedProcedure
    .input(assetRenameInput)
    .mutation(({ ctx, input }) => assets.renameAsset(ctx.user.id, input.id, input.name)),
  delete: protectedProcedure
    .input(assetIdInput)
    .mutation(({ ctx, input }) => assets.deleteAsset(ctx.user.id, input.id)),
  /** Chart data for a range ending at the last point, LTTB-downsampled for display. */
  series: protectedProcedure
    .input(assetSeriesInput)
    .query(({ ctx, input }) => assets.seriesForChart(ctx.user.id, input.id, input.range, input.maxPoints)),
  /** The seasonal-naive baseline on the held-out last 20 %. */
  evaluateBaseline: protectedProcedure.input(evaluateBaselineInput).query(({ ctx, input }) =>
    evaluateSeasonalNaive(input.id, ctx.user.id, {
      fraction: input.fraction,
      lookback: input.lookback,
      horizon: input.horizon,
    }),
  ),
});

const uploadsRouter = router({
  /** Step 1: columns with inferred types and a preview; stores nothing. */
  inspect: protectedProcedure.input(uploadInspectInput).mutation(({ input }) => uploads.inspectUpload(input)),
  /** Step 2: validate with the mapping; store everything or nothing. */
  commit: protectedProcedure
    .input(uploadCommitInput)
    .mutation(({ ctx, input }) => uploads.commitUpload(ctx.user.id, input)),
  list: protectedProcedure
    .input(uploadListInput)
    .query(({ ctx, input }) => uploads.listUploads(ctx.user.id, input.assetId)),
});

export const energyRouter = router({ assets: assetsRouter, uploads: uploadsRouter });
