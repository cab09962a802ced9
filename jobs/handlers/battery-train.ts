/**
 * battery.train: trains one algorithm of a training task (server/services/training) and, if it
 * succeeds, stores the model version and completes the job in one transaction. Streams per-epoch
 * metrics (`metric` events, kind "epoch"), progress (epochs done of epochs × repeats) and log
 * lines through the job's events, batched about every 300 ms. Cancel: the worker's signal (seen
 * at the next heartbeat) and a once-a-second isCancelled() poll both call the addon's cancel();
 * a cancelled run returns without a version. Threads: env TORCH_THREADS.
 */
import { registerHandler } from "../registry.js";
import * as queue from "../queue.js";
import { completedInTransaction } from "../lifecycle.js";
import { env } from "../../server/env.js";
import { TrainingTask } from "../../db/models/training-task.js";
import { TrainingRun } from "../../db/models/training-run.js";
import { buildTaskData, loadTaskCells } from "../../server/services/training/data.js";
import { trainAlgorithm, windowFor, type EpochReport } from "../../server/services/training/trainer.js";
import { createVersion, JobNoLongerActive } from "../../server/services/training/versions.js";
import { TRAIN_JOB, type TrainJobData } from "../../server/services/training/tasks.js";
import { configForAlgorithm } from "../../server/schemas/training.js";

/** At most this many epoch events per seed are streamed (the stored history has every epoch). */
const MAX_STREAMED_EPOCHS = 400;
const FLUSH_MS = 300;

registerHandler<TrainJobData>(TRAIN_JOB, async (job, ctx) => {
  const { runId, taskId, algorithm } = job.data;
  const userId = job.userId;
  if (userId === null) throw new Error("a training job must belong to a user");
  const run = await TrainingRun.query().findOne({ id: runId, taskId, userId });
  const task = await TrainingTask.query().findOne({ id: taskId, userId });
  if (!run || !task) throw new Error(`training run ${runId} of task ${taskId} no longer exists`);
  // Everything below trains this algorithm: `cfg.epochs` is its own count (epochs per algorithm).
  const cfg = configForAlgorithm(task.config, algorithm);
  const threads = env().TORCH_THREADS;

  // Events are buffered and written in order by one writer (onEpoch runs synchronously).
  let buffer: queue.NewEvent[] = [];
  let writing: Promise<void> = Promise.resolve();
  const flush = () => {
    if (!buffer.length) return writing;
    const batch = buffer;
    buffer = [];
    writing = writing.then(() => queue.appendEvents(ctx.jobId, batch)).catch(() => {});
    return writing;
  };
  const log = (message: string, level: "info" | "warn" | "error" = "info") => {
    buffer.push({ type: "log", payload: { message, level } });
  };
  const timer = setInterval(() => void flush(), FLUSH_MS);
  const every = Math.max(1, Math.ceil(cfg.epochs / MAX_STREAMED_EPOCHS));
  const total = cfg.epochs * cfg.repeats;
  const logEvery = Math.max(1, Math.round(cfg.epochs / 10));

  try {
    log(
      `${algorithm}: loading ${task.config.split} data (attempt ${ctx.attempt}, ${ctx.device === "cuda" ? "on the GPU" : `${threads} torch thread(s)`})`,
    );
    const loaded = await loadTaskCells(userId, cfg);
    const data = buildTaskData(loaded, cfg, windowFor(algorithm, cfg));
    log(
      `${algorithm}: ${data.train.n} train, ${data.val.n} validation, ${data.test.n} test samples; inputs ${data.inputNames.join(", ")}; targets ${data.targets.join(", ")}`,
    );
    buffer.push({ type: "progress", payload: { done: 0, total, algorithm } });

    const onEpoch = (e: EpochReport) => {
      const last = e.epoch === e.epochs;
      if (e.epoch % every === 0 || last || e.epoch === 1) {
        buffer.push({
          type: "metric",
          payload: {
            kind: "epoch",
            algorithm,
            seed: e.seed,
            seedIndex: e.seedIndex,
            repeats: e.repeats,
            epoch: e.epoch,
            epochs: e.epochs,
            trainLoss: e.trainLoss,
            valLoss: e.valLoss,
            val: e.val,
          },
        });
        buffer.push({
          type: "progress",
          payload: { done: e.seedIndex * e.epochs + e.epoch, total, algorithm, seed: e.seed },
        });
      }
      if (e.epoch % logEvery === 0 || last) {
        const t = data.targets[0];
        const v = e.val[t];
        log(
          `${algorithm} seed ${e.seed} epoch ${e.epoch}/${e.epochs}: train loss ${e.trainLoss.toExponential(3)}, val loss ${e.valLoss.toExponential(3)}${v ? `, val ${t} RMSPE ${(100 * v.rmspe).toFixed(3)}%` : ""}`,
        );
      }
    };
    const result = await trainAlgorithm(algorithm, cfg, data, {
      threads,
      device: ctx.device,
      onEpoch,
      log: (m, level) => log(m, level),
      signal: ctx.signal,
      isCancelled: ctx.isCancelled,
    });
    if (!result) {
      await TrainingRun.query().patch({ finalStatus: "CANCELED" }).where({ id: runId });
      await flush();
      return { cancelled: true };
    }
    log(
      `${algorithm}: storing the model version (seed ${result.seeds[result.bestSeedIndex].seed}, epoch ${result.seeds[result.bestSeedIndex].bestEpoch})`,
    );
    await flush();
    try {
      const versionId = await createVersion({
        userId,
        taskId,
        runId,
        taskName: task.name,
        cfg,
        data,
        result,
        job: { id: ctx.jobId, workerId: ctx.workerId, output: { runId, algorithm } },
      });
      log(`${algorithm}: model version ${versionId} stored`);
      await flush();
      return completedInTransaction({ runId, algorithm, versionId });
    } catch (e) {
      if (e instanceof JobNoLongerActive) {
        log(`${algorithm}: the run was cancelled before its version was stored; nothing is kept`, "warn");
        await flush();
        return { cancelled: true };
      }
      throw e;
    }
  } catch (e) {
    log(`${algorithm}: failed: ${queue.errorMessage(e)}`, "error");
    await flush();
    throw e;
  } finally {
    clearInterval(timer);
    await flush();
  }
});
