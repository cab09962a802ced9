/**
 * Training tasks: create (validate, then one job per algorithm in one job group), list, read
 * (status of every run from the one mapping in jobs/states.ts, results, curves), cancel (the
 * whole task or one algorithm). Every query is scoped to the caller; foreign ids are NOT_FOUND.
 */
import crypto from "node:crypto";
import { TRPCError } from "@trpc/server";
import { db } from "../../../db/db.js";
import { ModelVersion } from "../../../db/models/model-version.js";
import { TrainingRun } from "../../../db/models/training-run.js";
import { TrainingTask } from "../../../db/models/training-task.js";
import * as queue from "../../../jobs/queue.js";
import { jobName, jobSummaries, rowStatus, type JobSummary } from "../../../jobs/lifecycle.js";
import { overallStatus, type TaskStatus } from "../../../jobs/states.js";
import { readableDataset } from "../battery/datasets.js";
import { coverageGaps } from "../battery/coverage.js";
import { fieldError } from "../../trpc/errors.js";
import { checkActiveJobs, checkTaskCompute } from "../quotas.js";
import {
  createTaskInput,
  SYSTEM_SETTINGS,
  targetsOf,
  type Algorithm,
  type TaskConfig,
  type TaskInput,
} from "../../schemas/training.js";
import { buildTaskData, loadTaskCells } from "./data.js";
import { windowFor } from "./trainer.js";
import { taskComputeTflop } from "./compute.js";
import { ownedOrNotFound } from "../owned.js";
import { gpuOnline } from "../../../jobs/placement.js";

export const TRAIN_JOB = "battery.train";

export interface TrainJobData {
  taskId: number;
  runId: number;
  algorithm: Algorithm;
}

export interface CreateTaskOptions {
  /** Job names are `<prefix>battery.train` (tests: a worker serving only that prefix). */
  jobNamePrefix?: string;
  send?: Pick<queue.SendOptions, "expireIn" | "retryLimit" | "retryDelay">;
}

/** Validates (again: same schema as the form), checks the data yields samples, enqueues one job per algorithm. */
export async function createTask(userId: number, raw: TaskInput, opts: CreateTaskOptions = {}) {
  const input = createTaskInput.parse(raw);
  const cfg: TaskConfig = { ...input, system: SYSTEM_SETTINGS };
  await readableDataset(input.datasetId, userId);
  const loaded = await loadTaskCells(userId, cfg);
  const gaps = input.coveredCyclesOnly ? null : coverageGaps(loaded.cells, input.features, targetsOf(input.target));
  if (gaps) throw fieldError("BAD_REQUEST", "coveredCyclesOnly", gaps);
  const counts: Record<string, { train: number; val: number; test: number }> = {};
  const inputs: Record<string, number> = {};
  for (const w of new Set(input.algorithms.map((a) => windowFor(a, cfg)))) {
    const { lineage } = buildTaskData(loaded, cfg, w);
    counts[w] = lineage.counts;
    inputs[w] = lineage.inputNames.length;
  }
  const tflop = taskComputeTflop(input.algorithms, cfg, (a) => {
    const w = windowFor(a, cfg);
    return { inputs: inputs[w], trainSamples: counts[w].train };
  });
  const groupId = `train-${crypto.randomBytes(8).toString("hex")}`;
  const taskId = await db().transaction(async (trx) => {
    await checkActiveJobs(trx, userId, input.algorithms.length);
    await checkTaskCompute(trx, userId, tflop);
    const task = await TrainingTask.query(trx).insert({
      userId,
      datasetId: input.datasetId,
      name: input.name,
      groupId,
      config: cfg,
    });
    for (const algorithm of input.algorithms) {
      const run = await TrainingRun.query(trx).insert({ userId, taskId: task.id, algorithm });
      const data: TrainJobData = { taskId: task.id, runId: run.id, algorithm };
      const jobId = await queue.send(
        jobName(TRAIN_JOB, opts.jobNamePrefix),
        data,
        { userId, groupId, retryLimit: 1, expireIn: 60, device: input.device, ...opts.send },
        trx,
      );
      await TrainingRun.query(trx).patch({ jobId }).where({ id: run.id });
    }
    return task.id;
  });
  return { ...(await getTask(userId, taskId)), samples: counts };
}

function ownTask(userId: number, id: number): Promise<TrainingTask> {
  return ownedOrNotFound(TrainingTask, id, userId, `Training task ${id} not found`);
}

function runStatus(run: TrainingRun, job: JobSummary | undefined): TaskStatus {
  return rowStatus(job, run.finalStatus);
}

/** At most `max` points of a history, always keeping the first, the last and the best epoch. */
function thin<T extends { epoch: number; valLoss: number }>(h: T[], max = 600): T[] {
  if (h.length <= max) return h;
  const step = h.length / max;
  let best = 0;
  h.forEach((e, i) => (e.valLoss < h[best].valLoss ? (best = i) : 0));
  const keep = new Set<number>([0, h.length - 1, best]);
  for (let i = 0; i < max; i++) keep.add(Math.floor(i * step));
  return [...keep].sort((a, b) => a - b).map((i) => h[i]);
}

async function describe(userId: number, tasks: TrainingTask[], withResults: boolean) {
  if (!tasks.length) return [];
  const runQuery = TrainingRun.query()
    .whereIn(
      "taskId",
      tasks.map((t) => t.id),
    )
    .where("userId", userId)
    .orderBy("id");
  // Lists skip the results (histories can be thousands of epochs).
  if (!withResults) runQuery.select("id", "userId", "taskId", "algorithm", "jobId", "finalStatus");
  let runs = await runQuery.clone();
  const jobs = await jobSummaries(
    userId,
    runs.map((r) => r.jobId),
  );
  // A run's result is stored in the transaction that completes its job: read the runs again after
  // the jobs, so a run whose job is seen completed has its result (not the row read before).
  if (withResults) runs = await runQuery;
  const versions = withResults
    ? await ModelVersion.query()
        .whereIn(
          "taskId",
          tasks.map((t) => t.id),
        )
        .where("userId", userId)
        .select("id", "runId", "name")
    : [];
  // The user's own number of each version (v1 is their first), counted here so the task page
  // shows it with the version itself, never from a list cached before the version existed.
  const numbers = new Map(
    await Promise.all(
      versions.map(
        async (v) =>
          [v.id, await ModelVersion.query().where("userId", userId).where("id", "<=", v.id).resultSize()] as const,
      ),
    ),
  );
  return tasks.map((t) => {
    const own = runs.filter((r) => r.taskId === t.id);
    const runViews = own.map((r) => {
      const job = r.jobId ? jobs.get(r.jobId) : undefined;
      const result = (r.result ?? null) as {
        history?: { epoch: number; valLoss: number }[];
        versionId?: number;
      } | null;
      return {
        id: r.id,
        algorithm: r.algorithm,
        jobId: r.jobId,
        status: runStatus(r, job),
        error: job?.error ?? null,
        attempt: job ? job.retryCount + 1 : null,
        startedAt: job?.startedAt ?? null,
        completedAt: job?.completedAt ?? null,
        versionId: versions.find((v) => v.runId === r.id)?.id ?? null,
        versionNumber: numbers.get(versions.find((v) => v.runId === r.id)?.id ?? -1) ?? null,
        result: withResults && result ? { ...result, history: thin(result.history ?? []) } : null,
      };
    });
    return {
      id: t.id,
      name: t.name,
      groupId: t.groupId,
      datasetId: t.datasetId,
      config: t.config,
      createdAt: t.createdAt,
      status: overallStatus(runViews.map((r) => r.status)),
      runs: runViews,
    };
  });
}

export async function getTask(userId: number, id: number) {
  const t = await ownTask(userId, id);
  const view = (await describe(userId, [t], true))[0]!;
  // A task that requires a GPU says so while its runs wait for one (jobs/placement.ts).
  const device = (t.config as { device?: string }).device ?? "any";
  const waiting = view.runs.some((r) => r.status === "PENDING");
  const waitingForGpu = device === "require_gpu" && waiting && !(await gpuOnline(jobName(TRAIN_JOB)));
  return { ...view, waitingForGpu };
}
export type TaskView = Awaited<ReturnType<typeof getTask>>;

export async function listTasks(userId: number, limit = 50) {
  const tasks = await TrainingTask.query().where("userId", userId).orderBy("id", "desc").limit(limit);
  return describe(userId, tasks, false);
}

/** Cancels the task's waiting or running runs (or only `runId`). Finished runs keep their status. */
export async function cancelTask(userId: number, id: number, runId?: number) {
  const t = await ownTask(userId, id);
  const runs = await TrainingRun.query().where({ taskId: t.id, userId });
  const chosen = runId === undefined ? runs : runs.filter((r) => r.id === runId);
  if (runId !== undefined && !chosen.length)
    throw new TRPCError({ code: "NOT_FOUND", message: `Run ${runId} not found in this task` });
  let cancelled = 0;
  for (const r of chosen) {
    if (r.jobId && (await queue.cancel(r.jobId, { userId }))) {
      cancelled++;
      await TrainingRun.query().patch({ finalStatus: "CANCELED" }).where({ id: r.id });
    }
  }
  return { cancelled, task: await getTask(userId, t.id) };
}
