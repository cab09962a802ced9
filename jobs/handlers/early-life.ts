/**
 * battery.early-life: fits an early-life task's model on its training cells and scores each test
 * group (server/services/early-life), then stores the result — only while the task still exists
 * and the job was not cancelled meanwhile.
 */
import { registerHandler } from "../registry.js";
import { completedInTransaction, completeIfActive, JobNoLongerActive, lockIfActive } from "../lifecycle.js";
import { db } from "../../db/db.js";
import { EarlyLifeTask } from "../../db/models/early-life-task.js";
import { EARLY_LIFE_JOB, runEarlyLifeTask, type EarlyLifeJobData } from "../../server/services/early-life/tasks.js";

registerHandler<EarlyLifeJobData>(EARLY_LIFE_JOB, async (job, ctx) => {
  const userId = job.userId;
  if (userId === null) throw new Error("an early-life task must belong to a user");
  const task = await EarlyLifeTask.query().findOne({ id: job.data.taskId, userId });
  if (!task) throw new Error(`early-life task ${job.data.taskId} no longer exists`);
  const cfg = task.config;
  await ctx.log(
    `early-life ${cfg.featureSet} / ${cfg.model} on ${cfg.datasetName}: ${cfg.trainCells.length} training cells, first ${cfg.firstCycles} cycles`,
  );
  const result = await runEarlyLifeTask(userId, task.id);
  const output = { groups: result.groups.map((g) => ({ name: g.name, rmse: g.rmse, mape: g.mape })) };
  const active = { id: ctx.jobId, workerId: ctx.workerId };
  for (const g of result.groups)
    await ctx.log(
      `${g.name}: RMSE ${g.rmse.toFixed(1)} cycles, MAPE ${(100 * g.mape).toFixed(1)} % over ${g.cells.length} cells`,
    );
  try {
    // The result is kept only with the job's completion: a cancel meanwhile keeps nothing.
    await db().transaction(async (trx) => {
      await lockIfActive(trx, active);
      await EarlyLifeTask.query(trx).patch({ result, finalStatus: "SUCCEEDED" }).where({ id: task.id, userId });
      await completeIfActive(trx, active, output);
    });
  } catch (e) {
    if (!(e instanceof JobNoLongerActive)) throw e;
    await ctx.log("cancelled: nothing is kept", "warn");
    return { cancelled: true };
  }
  return completedInTransaction(output);
});
