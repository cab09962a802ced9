import { router, protectedProcedure } from "../trpc/init.js";
import { createEarlyLifeInput, earlyLifeExportInput, earlyLifeIdInput } from "../schemas/early-life.js";
import * as tasks from "../services/early-life/tasks.js";
import { exportLocale } from "../i18n/locales.js";

/** Early-life cycle-life prediction tasks (Battery Lab): create, read, list, cancel, export. */
export const earlyLifeRouter = router({
  create: protectedProcedure
    .input(createEarlyLifeInput)
    .mutation(({ ctx, input }) => tasks.createEarlyLifeTask(ctx.user.id, input)),
  get: protectedProcedure
    .input(earlyLifeIdInput)
    .query(({ ctx, input }) => tasks.getEarlyLifeTask(ctx.user.id, input.id)),
  list: protectedProcedure.query(({ ctx }) => tasks.listEarlyLifeTasks(ctx.user.id)),
  cancel: protectedProcedure
    .input(earlyLifeIdInput)
    .mutation(({ ctx, input }) => tasks.cancelEarlyLifeTask(ctx.user.id, input.id)),
  /** The per-cell predictions as a file (base64): CSV, or XLSX with summary and model sheets. */
  export: protectedProcedure
    .input(earlyLifeExportInput)
    .query(({ ctx, input }) =>
      tasks.exportEarlyLifeTask(ctx.user.id, input.id, input.format, exportLocale(ctx.user, input.locale)),
    ),
});
