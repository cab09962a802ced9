/**
 * battery.test: runs a test job (server/services/testing): onnxruntime-node inference of the
 * version's ONNX file cell by cell in batches, progress per cell (current cell, done/total,
 * running metrics) as job events, then the CSV/XLSX exports, and finally, in one transaction,
 * the per-cell results, the metrics and the job's completion (only while the job is still this
 * worker's and active: a cancelled test keeps nothing). Cancel is checked between cells.
 */
import { registerHandler } from "../registry.js";
import { completedInTransaction, completeIfActive, JobNoLongerActive, lockIfActive } from "../lifecycle.js";
import { db } from "../../db/db.js";
import { TestJob } from "../../db/models/test-job.js";
import { TestJobCell } from "../../db/models/test-job-cell.js";
import { runInference } from "../../server/services/testing/inference.js";
import { encodeCell } from "../../server/services/testing/cell-blob.js";
import { exportKey, writeExports } from "../../server/services/testing/exports.js";
import { artifacts } from "../../server/storage/artifacts.js";
import { TEST_JOB, type TestJobData } from "../../server/services/testing/test-jobs.js";
import type { TestJobResult } from "../../server/schemas/testing.js";

const pct = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? "–" : `${(100 * v).toFixed(3)}%`);

registerHandler<TestJobData>(TEST_JOB, async (job, ctx) => {
  const userId = job.userId;
  if (userId === null) throw new Error("a test job must belong to a user");
  const tj = await TestJob.query().findOne({ id: job.data.testJobId, userId });
  if (!tj) throw new Error(`test job ${job.data.testJobId} no longer exists`);
  const cfg = tj.config;
  await ctx.log(
    `testing ${cfg.version.name} (${cfg.version.algorithm}) on ${cfg.cellKeys.length} cell(s) of ${cfg.datasetName}; targets ${cfg.targets.join(", ")}, horizon ${cfg.horizon}, batches of ${cfg.batchSize} (attempt ${ctx.attempt})`,
  );
  await ctx.progress(0, cfg.cellKeys.length, { cell: null, samples: 0 });

  const out = await runInference(userId, tj.userId, cfg, {
    isCancelled: () => ctx.isCancelled(),
    onCell: async (p) => {
      await ctx.progress(p.done, p.total, { cell: p.cell, samples: p.samples, running: p.running });
      const t = cfg.targets[0];
      await ctx.log(
        `cell ${p.cell} (${p.done}/${p.total}): ${p.samples} samples so far, running ${t.toUpperCase()} RMSPE ${pct(p.running[t]?.rmspe)}, RMSE ${p.running[t]?.rmse.toPrecision(4) ?? "–"}`,
      );
    },
  });
  if (!out) {
    await ctx.log("cancelled: nothing is kept", "warn");
    return { cancelled: true };
  }
  if (out.emptyCells.length)
    await ctx.log(`no samples in ${out.emptyCells.length} cell(s): ${out.emptyCells.slice(0, 10).join(", ")}`, "warn");

  await ctx.log(`${out.samples} samples in ${out.elapsedMs} ms; writing CSV and XLSX`);
  const exports = await writeExports(userId, {
    testJobId: tj.id,
    name: tj.name,
    createdAt: tj.createdAt,
    cfg,
    overall: out.overall,
    cells: out.cells,
  });
  const result: TestJobResult = {
    overall: out.overall,
    cells: out.cells.map((c) => ({ cellKey: c.cellKey, n: c.n, metrics: c.metrics })),
    samples: out.samples,
    emptyCells: out.emptyCells,
    elapsedMs: out.elapsedMs,
    exports,
  };
  const job_ = { id: ctx.jobId, workerId: ctx.workerId };
  const output = { testJobId: tj.id, samples: out.samples };
  try {
    await db().transaction(async (trx) => {
      await lockIfActive(trx, job_);
      await TestJobCell.query(trx).delete().where({ testJobId: tj.id });
      for (const [position, c] of out.cells.entries()) {
        await TestJobCell.query(trx).insert({
          userId,
          testJobId: tj.id,
          position,
          cellKey: c.cellKey,
          nSamples: c.n,
          metrics: c.metrics,
          samples: encodeCell(c, cfg.targets),
        });
      }
      await TestJob.query(trx).patch({ result, finalStatus: "SUCCEEDED" }).where({ id: tj.id, userId });
      await completeIfActive(trx, job_, output);
    });
  } catch (e) {
    if (e instanceof JobNoLongerActive) {
      await artifacts()
        .deletePrefix(exportKey(userId, tj.id))
        .catch(() => {});
      await ctx.log("the test was cancelled before its results were stored; nothing is kept", "warn");
      return { cancelled: true };
    }
    throw e;
  }
  await ctx.log(`done: ${out.cells.length} cells, ${out.samples} samples`);
  return completedInTransaction(output);
});
