/**
 * Test jobs: create (validate against the version and the data source, then one battery.test
 * job), list, read (status from jobs/states.ts, metrics), per-cell series and residual
 * statistics for the charts, cancel, delete, export files. Every query is scoped to the caller;
 * a foreign or missing id is NOT_FOUND.
 */
import { TRPCError } from "@trpc/server";
import { db } from "../../../db/db.js";
import { ModelVersion } from "../../../db/models/model-version.js";
import { TestJob } from "../../../db/models/test-job.js";
import { TestJobCell } from "../../../db/models/test-job-cell.js";
import * as queue from "../../../jobs/queue.js";
import { checkActiveJobs } from "../quotas.js";
import { jobName, jobSummaries, rowStatus, type JobSummary } from "../../../jobs/lifecycle.js";
import type { TaskStatus } from "../../../jobs/states.js";
import { fieldError } from "../../trpc/errors.js";
import { listCells, loadCycles, readableDataset } from "../battery/datasets.js";
import { offersFeature, storedFeature } from "../battery/columns.js";
import { cellSamples, withHistoryInputs } from "../training/data.js";
import { targetsOf, type Algorithm, type TargetChoice } from "../../schemas/training.js";
import { artifacts } from "../../storage/artifacts.js";
import { lttbIndices } from "../../lib/downsample.js";
import {
  createTestJobInput,
  type CreateTestJobInput,
  type ExportFormat,
  type TestJobConfig,
  type TestJobSummary,
  type TestTarget,
} from "../../schemas/testing.js";
import { decodeCell } from "./cell-blob.js";
import { exportKey, EXPORT_FILES } from "./exports.js";
import { ownedOrNotFound } from "../owned.js";

export const TEST_JOB = "battery.test";
/** Inference batch size (samples per onnxruntime call). */
export const TEST_BATCH_SIZE = 4096;

export interface TestJobData {
  testJobId: number;
}

export interface CreateTestJobOptions {
  /** Job names are `<prefix>battery.test` (tests: a worker serving only that prefix). */
  jobNamePrefix?: string;
  send?: Pick<queue.SendOptions, "expireIn" | "retryLimit" | "retryDelay">;
}

interface VersionView {
  model?: { kind?: string };
  inputNames?: string[];
  targetNames?: TestTarget[];
  window?: number;
  horizon?: number;
}

/** The caller's version, as a test job sees it (features, window, outputs). */
export async function versionForTest(userId: number, versionId: number) {
  const v = await ModelVersion.query().findOne({ id: versionId, userId });
  if (!v) throw fieldError("NOT_FOUND", "versionId", `Model version ${versionId} not found`);
  const c = v.config as VersionView;
  const lineage = v.lineage as {
    features?: string[];
    datasetName?: string;
    split?: { split?: string };
    history?: TestJobConfig["version"]["history"];
  };
  const outputNames = c.targetNames ?? targetsOf(v.target as TargetChoice);
  const snapshot: TestJobConfig["version"] = {
    name: v.name,
    algorithm: v.algorithm,
    target: v.target,
    window: c.window ?? 1,
    horizon: c.horizon ?? 0,
    features: lineage.features ?? [],
    inputNames: c.inputNames ?? [...(lineage.features ?? []), "cycle"],
    ...(lineage.history ? { history: lineage.history } : {}),
    outputNames,
    config: { model: c.model, training: (v.config as { training?: unknown }).training },
    trainedOn: `${v.datasetName}${lineage.split?.split ? ` (${lineage.split.split})` : ""}`,
  };
  return { row: v, snapshot };
}

/** Validates (same schema as the form), checks the source has the features and yields samples, enqueues. */
export async function createTestJob(userId: number, raw: CreateTestJobInput, opts: CreateTestJobOptions = {}) {
  const input = createTestJobInput.parse(raw);
  const { row: version, snapshot } = await versionForTest(userId, input.versionId);
  const dataset = await readableDataset(input.datasetId, userId).catch((e: unknown) => {
    throw e instanceof TRPCError && e.code === "NOT_FOUND"
      ? fieldError("NOT_FOUND", "datasetId", "Data source not found")
      : e;
  });
  const predicts = snapshot.outputNames;
  const notPredicted = input.targets.filter((t) => !predicts.includes(t));
  if (notPredicted.length) {
    throw fieldError(
      "BAD_REQUEST",
      "targets",
      `This version predicts ${predicts.map((t) => t.toUpperCase()).join(" and ")} only, not ${notPredicted.map((t) => t.toUpperCase()).join(", ")}`,
    );
  }
  const lacking = snapshot.features.filter((f) => !offersFeature(dataset.features, f));
  if (lacking.length) {
    throw fieldError(
      "BAD_REQUEST",
      "datasetId",
      `The data source lacks feature${lacking.length > 1 ? "s" : ""} the version needs: ${lacking.join(", ")}`,
    );
  }
  const { cells } = await listCells({ datasetId: dataset.id, userId });
  const byKey = new Map(cells.map((c) => [c.cellKey, c]));
  const cellKeys = input.cellKeys.length ? input.cellKeys : cells.map((c) => c.cellKey);
  const unknown = cellKeys.filter((k) => !byKey.has(k));
  if (unknown.length)
    throw fieldError(
      "BAD_REQUEST",
      "cellKeys",
      `Unknown cell(s) in this data source: ${unknown.slice(0, 5).join(", ")}`,
    );
  if (!cellKeys.length) throw fieldError("BAD_REQUEST", "cellKeys", "The data source has no cells");
  for (const f of snapshot.features) {
    const without = cellKeys.filter((k) => !byKey.get(k)!.features.includes(storedFeature(f)));
    if (without.length) {
      throw fieldError(
        "BAD_REQUEST",
        "cellKeys",
        `${without.length} cell(s) lack the feature ${f} the version needs (e.g. ${without.slice(0, 5).join(", ")})`,
      );
    }
  }
  const horizon = input.horizon ?? snapshot.horizon;
  const loaded = await loadCycles({ datasetId: dataset.id, userId, cellKeys, features: snapshot.features });
  for (const t of input.targets) {
    if (!loaded.cells.some((c) => (t === "pcl" ? c.pcl : c.rul).some(Number.isFinite))) {
      throw fieldError("BAD_REQUEST", "targets", `The data source has no ${t.toUpperCase()} values`);
    }
  }
  const n = cellSamples(
    await withHistoryInputs(loaded.cells, snapshot.history),
    snapshot.features,
    input.targets,
    snapshot.window,
    horizon,
    snapshot.history,
  ).n;
  if (!n)
    throw fieldError(
      "BAD_REQUEST",
      "horizon",
      `No samples: the chosen cells have no complete rows for window ${snapshot.window} and horizon ${horizon}`,
    );

  const cfg: TestJobConfig = {
    versionId: version.id,
    version: snapshot,
    datasetId: dataset.id,
    datasetName: dataset.name,
    source: dataset.source,
    preset: input.preset ?? null,
    cellKeys,
    targets: input.targets,
    horizon,
    batchSize: TEST_BATCH_SIZE,
    ...(input.locale ? { locale: input.locale } : {}),
  };
  const name = (
    input.name || `${version.name} on ${input.preset ?? `${cellKeys.length} cell${cellKeys.length > 1 ? "s" : ""}`}`
  ).slice(0, 120);
  const id = await db().transaction(async (trx) => {
    await checkActiveJobs(trx, userId, 1);
    const tj = await TestJob.query(trx).insert({
      userId,
      versionId: version.id,
      datasetId: dataset.id,
      name,
      config: cfg,
    });
    const jobId = await queue.send(
      jobName(TEST_JOB, opts.jobNamePrefix),
      { testJobId: tj.id } satisfies TestJobData,
      { userId, retryLimit: 1, expireIn: 60, ...opts.send },
      trx,
    );
    await TestJob.query(trx).patch({ jobId }).where({ id: tj.id });
    return tj.id;
  });
  return { ...(await getTestJob(userId, id)), expectedSamples: n };
}

export function ownTestJob(userId: number, id: number): Promise<TestJob> {
  return ownedOrNotFound(TestJob, id, userId, `Test job ${id} not found`);
}

/** The job's status (SUCCEEDED is stored with the job's completion); the recorded outcome once it is purged. */
function statusOf(t: TestJob, job: JobSummary | undefined): TaskStatus {
  return rowStatus(job, t.finalStatus);
}

async function summaries(userId: number, rows: TestJob[]): Promise<TestJobSummary[]> {
  const jobs = await jobSummaries(
    userId,
    rows.map((r) => r.jobId),
  );
  return rows.map((t) => {
    const job = t.jobId ? jobs.get(t.jobId) : undefined;
    return {
      id: t.id,
      name: t.name,
      status: statusOf(t, job),
      versionId: t.versionId,
      versionName: t.config.version.name,
      algorithm: t.config.version.algorithm as Algorithm,
      datasetName: t.config.datasetName,
      source: t.config.source,
      cellCount: t.config.cellKeys.length,
      targets: t.config.targets,
      horizon: t.config.horizon,
      jobId: t.jobId,
      error: job?.error ?? null,
      createdAt: t.createdAt,
      completedAt: job?.completedAt ?? null,
    };
  });
}

export async function listTestJobs(userId: number, limit = 50): Promise<TestJobSummary[]> {
  return summaries(userId, await TestJob.query().where("userId", userId).orderBy("id", "desc").limit(limit));
}

export async function getTestJob(userId: number, id: number) {
  const t = await ownTestJob(userId, id);
  const [summary] = await summaries(userId, [t]);
  return { ...summary, config: t.config, result: t.result };
}
export type TestJobView = Awaited<ReturnType<typeof getTestJob>>;

/** Cancels a waiting or running test job; a finished one keeps its status. */
export async function cancelTestJob(userId: number, id: number) {
  const t = await ownTestJob(userId, id);
  let cancelled = false;
  if (t.jobId && (await queue.cancel(t.jobId, { userId }))) {
    cancelled = true;
    await TestJob.query().patch({ finalStatus: "CANCELED" }).where({ id: t.id, userId });
  }
  return { cancelled, testJob: await getTestJob(userId, t.id) };
}

/** Removes the test job, its per-cell results and its export files (cancelling it first). */
export async function deleteTestJob(userId: number, id: number): Promise<{ id: number; deleted: true }> {
  const t = await ownTestJob(userId, id);
  if (t.jobId) await queue.cancel(t.jobId, { userId });
  await TestJob.query().delete().where({ id: t.id, userId });
  await artifacts().deletePrefix(exportKey(userId, t.id));
  return { id: t.id, deleted: true };
}

async function cellRows(userId: number, t: TestJob, cellKey?: string): Promise<TestJobCell[]> {
  const q = TestJobCell.query().where({ testJobId: t.id, userId }).orderBy("position");
  if (cellKey !== undefined) q.where({ cellKey });
  return q;
}

/** One cell's predicted vs true series and residuals per target, downsampled (LTTB) for display. */
export async function testJobCell(userId: number, id: number, cellKey: string, maxPoints = 1500) {
  const t = await ownTestJob(userId, id);
  const [row] = await cellRows(userId, t, cellKey);
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Cell ${cellKey} has no results in this test job` });
  const s = decodeCell(row.samples, row.nSamples, t.config.targets);
  const targets = t.config.targets.map((target) => {
    const v = s.byTarget[target]!;
    const keep = new Set([...lttbIndices(s.cycle, v.yTrue, maxPoints), ...lttbIndices(s.cycle, v.yPred, maxPoints)]);
    const idx = [...keep].sort((a, b) => a - b);
    return {
      target,
      points: idx.map((i) => ({
        cycle: s.cycle[i],
        yTrue: v.yTrue[i],
        yPred: v.yPred[i],
        residual: v.yPred[i] - v.yTrue[i],
      })),
    };
  });
  return { cellKey: row.cellKey, n: row.nSamples, metrics: row.metrics, targets };
}

function quantile(sorted: Float64Array, q: number): number {
  if (!sorted.length) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Residual histogram over every sample of one target, and each cell's residual box (min, q1, median, q3, max). */
export async function testJobResiduals(userId: number, id: number, target: TestTarget, bins = 40) {
  const t = await ownTestJob(userId, id);
  if (!t.config.targets.includes(target))
    throw fieldError("BAD_REQUEST", "target", `This test job did not score ${target.toUpperCase()}`);
  const rows = await cellRows(userId, t);
  const perCell: {
    cellKey: string;
    n: number;
    min: number;
    q1: number;
    median: number;
    q3: number;
    max: number;
    mean: number;
  }[] = [];
  const all: number[] = [];
  for (const r of rows) {
    const v = decodeCell(r.samples, r.nSamples, t.config.targets).byTarget[target]!;
    const res = new Float64Array(v.yTrue.length);
    let sum = 0;
    for (let i = 0; i < res.length; i++) {
      res[i] = v.yPred[i] - v.yTrue[i];
      sum += res[i];
      all.push(res[i]);
    }
    if (!res.length) continue;
    const sorted = res.slice().sort();
    perCell.push({
      cellKey: r.cellKey,
      n: res.length,
      min: sorted[0],
      q1: quantile(sorted, 0.25),
      median: quantile(sorted, 0.5),
      q3: quantile(sorted, 0.75),
      max: sorted[sorted.length - 1],
      mean: sum / res.length,
    });
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of all) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const histogram: { x0: number; x1: number; count: number }[] = [];
  if (all.length) {
    const width = hi > lo ? (hi - lo) / bins : 1;
    for (let b = 0; b < bins; b++) histogram.push({ x0: lo + b * width, x1: lo + (b + 1) * width, count: 0 });
    for (const v of all) histogram[Math.min(bins - 1, Math.floor((v - lo) / width))].count++;
  }
  return { target, n: all.length, histogram, perCell };
}

/** The export file of a finished test job (NOT_FOUND for another user's job or a missing file). */
export async function exportFile(userId: number, id: number, format: ExportFormat) {
  const t = await ownTestJob(userId, id);
  const key = exportKey(userId, t.id, format);
  if (!(await artifacts().exists(key))) throw new TRPCError({ code: "NOT_FOUND", message: "The export is not ready" });
  const safe =
    t.name
      .replace(/[^A-Za-z0-9._-]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 60) || "test";
  return {
    key,
    fileName: `voltlab-test-${t.id}-${safe}.${format}`,
    bytes: await artifacts().size(key),
    stored: EXPORT_FILES[format],
  };
}
