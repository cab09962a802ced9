/**
 * Model versions: created by a successful training run (checkpoint, ONNX with normalisation
 * inside, config, lineage, metrics, history), listed, renamed, deleted and downloaded by their
 * owner. Files: artifacts() under {userId}/battery-models/{versionId}/. Another user's version is NOT_FOUND.
 */
import { db } from "../../../db/db.js";
import { ModelVersion } from "../../../db/models/model-version.js";
import { TrainingRun } from "../../../db/models/training-run.js";
import { completeIfActive, JobNoLongerActive, lockIfActive } from "../../../jobs/lifecycle.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { writeBatteryOnnx } from "../../ml/onnx/index.js";
import { ALGORITHM_LABELS, inputNoiseOf, type Algorithm, type TargetChoice } from "../../schemas/training.js";
import type { TaskConfig } from "../../schemas/training.js";
import type { TaskData } from "./data.js";
import type { AlgorithmResult } from "./trainer.js";
import { ownedOrNotFound } from "../owned.js";
import { userError } from "../../trpc/errors.js";

export const MODEL_FILES = { checkpoint: "checkpoint.pt", onnx: "model.onnx", config: "config.json" } as const;

export const modelKey = (userId: number, versionId: number, name?: string) =>
  artifactKey(userId, "battery-models", versionId, name);

/** What a version's metrics column holds. */
export function versionMetrics(result: AlgorithmResult) {
  return {
    summary: result.summary,
    seeds: result.seeds,
    bestSeedIndex: result.bestSeedIndex,
    bestSeed: result.seeds[result.bestSeedIndex]?.seed,
  };
}

export interface CreateVersionInput {
  userId: number;
  taskId: number;
  runId: number;
  taskName: string;
  cfg: TaskConfig;
  data: TaskData;
  result: AlgorithmResult;
  /** The job that trained it: the version is created and the job completed in one transaction,
   * only while the job is still this worker's and active (a cancelled run leaves no version). */
  job?: { id: number; workerId: string; output?: unknown };
}

/** Thrown when the job was cancelled (or taken away) before its version could be stored. */
export { JobNoLongerActive };

/** Stores a trained run as a model version; returns its id. */
export async function createVersion(input: CreateVersionInput): Promise<number> {
  const { userId, cfg, data, result } = input;
  const onnx = writeBatteryOnnx({
    model: result.model,
    weights: result.weights,
    normalization: data.normalization,
    inputNames: data.inputNames,
    targetNames: data.targets,
    metadata: { "voltlab.task_id": String(input.taskId), "voltlab.run_id": String(input.runId) },
  });
  const bestSeed = result.seeds[result.bestSeedIndex];
  const config = {
    algorithm: result.algorithm,
    model: result.model,
    training: {
      learningRate: cfg.learningRate,
      inputNoise: inputNoiseOf(cfg),
      epochs: cfg.epochs,
      batchSize: result.batchSize,
      seeds: result.seeds.map((s) => s.seed),
      keptSeed: bestSeed.seed,
      bestEpoch: bestSeed.bestEpoch,
      optimizer: "adam",
    },
    inputNames: data.inputNames,
    targetNames: data.targets,
    window: data.window,
    horizon: cfg.horizon,
    normalization: data.normalization,
    onnx: {
      input: "input",
      output: "output",
      shape: data.window > 1 ? ["batch", data.window, data.inputDim] : ["batch", data.inputDim],
      normalizationInside: true,
    },
  };
  const name = `${input.taskName} · ${ALGORITHM_LABELS[result.algorithm]}`.slice(0, 120);
  let createdId = 0;
  try {
    await db().transaction(async (trx) => {
      // First: a cancel arriving now waits for this transaction (and finds the run finished).
      if (input.job) await lockIfActive(trx, input.job);
      const v = await ModelVersion.query(trx).insert({
        userId,
        taskId: input.taskId,
        runId: input.runId,
        datasetId: data.lineage.datasetId,
        name,
        algorithm: result.algorithm,
        target: cfg.target,
        datasetName: data.lineage.datasetName.slice(0, 200),
        bestEpoch: bestSeed.bestEpoch,
        config,
        lineage: { ...data.lineage, cells: data.cells },
        metrics: versionMetrics(result),
        history: result.history.map(compactEpoch),
      });
      createdId = v.id;
      const store = artifacts();
      await store.put(modelKey(userId, v.id, MODEL_FILES.onnx), onnx);
      if (result.checkpoint) await store.put(modelKey(userId, v.id, MODEL_FILES.checkpoint), result.checkpoint);
      await store.put(
        modelKey(userId, v.id, MODEL_FILES.config),
        JSON.stringify({ versionId: v.id, ...config, lineage: { ...data.lineage, cells: data.cells } }, null, 2),
      );
      await TrainingRun.query(trx)
        .patch({ finalStatus: "SUCCEEDED", result: runResult(result, v.id) })
        .where({ id: input.runId, userId });
      if (input.job) await completeIfActive(trx, input.job, { versionId: v.id, ...(input.job.output as object) });
    });
  } catch (e) {
    if (createdId)
      await artifacts()
        .deletePrefix(modelKey(userId, createdId))
        .catch(() => {});
    throw e;
  }
  return createdId;
}

/** One history entry as stored (no repeated labels). */
function compactEpoch(e: AlgorithmResult["history"][number]) {
  return { epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, elapsedMs: e.elapsedMs, val: e.val };
}

/** What a finished run keeps (results table, curves): metrics and the kept seed's history. */
export function runResult(result: AlgorithmResult, versionId: number | null) {
  return {
    versionId,
    summary: result.summary,
    seeds: result.seeds,
    bestSeedIndex: result.bestSeedIndex,
    model: result.model,
    batchSize: result.batchSize,
    history: result.history.map(compactEpoch),
  };
}

// ---------------------------------------------------------------- the library

function ownVersion(userId: number, id: number): Promise<ModelVersion> {
  return ownedOrNotFound(ModelVersion, id, userId, `Model version ${id} not found`);
}

function summaryOf(v: ModelVersion) {
  return {
    id: v.id,
    name: v.name,
    algorithm: v.algorithm,
    target: v.target,
    datasetId: v.datasetId,
    datasetName: v.datasetName,
    taskId: v.taskId,
    bestEpoch: v.bestEpoch,
    metrics: (v.metrics as { summary?: unknown }).summary ?? null,
    features: (v.lineage as { features?: string[] }).features ?? [],
    split: (v.lineage as { split?: { split?: string } }).split?.split ?? null,
    createdAt: v.createdAt,
    updatedAt: v.updatedAt,
  };
}
export type ModelVersionSummary = ReturnType<typeof summaryOf>;

export async function listVersions(
  userId: number,
  f: { algorithm?: Algorithm; target?: TargetChoice; datasetId?: number; taskId?: number } = {},
): Promise<ModelVersionSummary[]> {
  const q = ModelVersion.query().where("userId", userId).orderBy("id", "desc").limit(500);
  if (f.algorithm) q.where("algorithm", f.algorithm);
  if (f.target) q.where("target", f.target);
  if (f.datasetId) q.where("datasetId", f.datasetId);
  if (f.taskId) q.where("taskId", f.taskId);
  return (await q).map(summaryOf);
}

export async function getVersion(userId: number, id: number) {
  const v = await ownVersion(userId, id);
  const store = artifacts();
  const files = await Promise.all(
    Object.values(MODEL_FILES).map(async (name) => {
      const key = modelKey(userId, v.id, name);
      return { name, bytes: (await store.exists(key)) ? await store.size(key) : null };
    }),
  );
  return { ...summaryOf(v), config: v.config, lineage: v.lineage, allMetrics: v.metrics, history: v.history, files };
}

export async function renameVersion(userId: number, id: number, name: string) {
  const v = await ownVersion(userId, id);
  await ModelVersion.query().patch({ name }).where({ id: v.id, userId });
  return summaryOf((await ModelVersion.query().findById(v.id))!);
}

/** Deletes the version's row and its files. */
export async function deleteVersion(userId: number, id: number): Promise<{ id: number; deleted: true }> {
  const v = await ownVersion(userId, id);
  await ModelVersion.query().delete().where({ id: v.id, userId });
  await artifacts().deletePrefix(modelKey(userId, v.id));
  return { id: v.id, deleted: true };
}

/** Where a version's ONNX file is, for a download streamed from the store (NOT_FOUND when missing). */
export async function onnxFile(userId: number, id: number): Promise<{ key: string; bytes: number; fileName: string }> {
  const v = await ownVersion(userId, id);
  const key = modelKey(userId, v.id, MODEL_FILES.onnx);
  if (!(await artifacts().exists(key))) throw userError("NOT_FOUND", "training:errors.onnxMissing");
  return { key, bytes: await artifacts().size(key), fileName: onnxFileName(v) };
}

const onnxFileName = (v: ModelVersion) => `voltlab-model-${v.id}-${v.algorithm}-${v.target}.onnx`;

/** The ONNX file as base64 (with a file name for the browser). */
export async function downloadOnnx(
  userId: number,
  id: number,
): Promise<{ fileName: string; base64: string; bytes: number }> {
  const v = await ownVersion(userId, id);
  const buf = await artifacts().get(modelKey(userId, v.id, MODEL_FILES.onnx));
  return { fileName: onnxFileName(v), base64: buf.toString("base64"), bytes: buf.length };
}
