import { router, protectedProcedure } from "../trpc/init.js";
import { idInput, listModelsInput, renameModelInput } from "../schemas/training.js";
import * as versions from "../services/training/versions.js";

/** The model library: the caller's model versions (checkpoint, ONNX, config, lineage, metrics). */
export const modelsRouter = router({
  list: protectedProcedure.input(listModelsInput).query(({ ctx, input }) => versions.listVersions(ctx.user.id, input)),
  get: protectedProcedure.input(idInput).query(({ ctx, input }) => versions.getVersion(ctx.user.id, input.id)),
  rename: protectedProcedure
    .input(renameModelInput)
    .mutation(({ ctx, input }) => versions.renameVersion(ctx.user.id, input.id, input.name)),
  /** Removes the version and its files. */
  delete: protectedProcedure.input(idInput).mutation(({ ctx, input }) => versions.deleteVersion(ctx.user.id, input.id)),
  /** The ONNX file (raw inputs → raw targets) as base64. */
  downloadOnnx: protectedProcedure
    .input(idInput)
    .query(({ ctx, input }) => versions.downloadOnnx(ctx.user.id, input.id)),
});
