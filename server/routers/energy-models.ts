import { z } from "zod";
import { router, protectedProcedure } from "../trpc/init.js";
import * as models from "../services/energy/models.js";
import { trainEnergyModelSchema } from "../services/energy/models-schema.js";
import { forecastFromFile } from "../services/energy/forecast-file.js";
import { forecastFileInput } from "../schemas/energy.js";

const id = z.number().int().positive();

export const energyModelsRouter = router({
  /** Queues an energy.train job; returns the version (status queued, jobId for live events). */
  train: protectedProcedure
    .input(trainEnergyModelSchema)
    .mutation(({ ctx, input }) => models.startTraining(ctx.user.id, input)),
  list: protectedProcedure
    .input(z.object({ assetId: id.optional() }).default({}))
    .query(({ ctx, input }) => models.listVersions(ctx.user.id, input.assetId)),
  get: protectedProcedure.input(z.object({ id })).query(({ ctx, input }) => models.getVersion(ctx.user.id, input.id)),
  /** Ready versions of an asset with tail metrics, and the seasonal-naive baseline row. */
  compare: protectedProcedure
    .input(z.object({ assetId: id }))
    .query(({ ctx, input }) => models.compareVersions(ctx.user.id, input.assetId)),
  /** Forecast of the next H steps from the asset's latest data (ONNX inference). */
  forecast: protectedProcedure
    .input(z.object({ id }))
    .query(({ ctx, input }) => models.forecastLatest(ctx.user.id, input.id)),
  forecastCsv: protectedProcedure.input(z.object({ id })).query(async ({ ctx, input }) => {
    const f = await models.forecastLatest(ctx.user.id, input.id);
    return { filename: `forecast-${f.kind}-${f.versionId}.csv`, csv: models.forecastCsv(f) };
  }),
  /** Forecast of the H steps after an uploaded file's last point (the file's last L points are the input); nothing is stored. */
  forecastFromFile: protectedProcedure
    .input(forecastFileInput)
    .mutation(({ ctx, input }) => forecastFromFile(ctx.user.id, input)),
  delete: protectedProcedure
    .input(z.object({ id }))
    .mutation(({ ctx, input }) => models.deleteVersion(ctx.user.id, input.id)),
});
