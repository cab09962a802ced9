import { router, protectedProcedure } from "../trpc/init.js";
import { cancelTaskInput, createTaskInput, idInput, listTasksInput } from "../schemas/training.js";
import * as tasks from "../services/training/tasks.js";

/** Battery Lab training tasks: one job per algorithm, followed live with jobs.events({ groupId }). */
export const trainingRouter = router({
  /** Validates (same schema as the form), checks the split yields samples, enqueues the runs. */
  create: protectedProcedure.input(createTaskInput).mutation(({ ctx, input }) => tasks.createTask(ctx.user.id, input)),
  list: protectedProcedure.input(listTasksInput).query(({ ctx, input }) => tasks.listTasks(ctx.user.id, input.limit)),
  /** The task, each run's status, results (metrics per split, mean ± std) and curves. */
  get: protectedProcedure.input(idInput).query(({ ctx, input }) => tasks.getTask(ctx.user.id, input.id)),
  /** Cancels the whole task, or one algorithm's run (runId). */
  cancel: protectedProcedure
    .input(cancelTaskInput)
    .mutation(({ ctx, input }) => tasks.cancelTask(ctx.user.id, input.id, input.runId)),
});
