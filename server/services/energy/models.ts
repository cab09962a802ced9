/**
 * Energy model versions: start training (an energy.train job fills the row), list, compare
 * (with the seasonal-naive baseline), forecast from the asset's latest data with the ONNX file,
 * delete. Only the owner sees a version; other users get NOT_FOUND.
 */
import * as queue from "../../../jobs/queue.js";
import { checkActiveJobs } from "../quotas.js";
import { jobName, withJobStatus } from "../../../jobs/lifecycle.js";
import { db } from "../../../db/db.js";
import { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { fieldError, userError } from "../../trpc/errors.js";
import { readableAsset } from "./access.js";
import { calendarFeatures } from "./calendar.js";
import { AUTO_BUDGET_SECONDS, forecastDefaults } from "./defaults.js";
import { forecasterFor, forgetForecaster } from "./sessions.js";
import {
  DEFAULT_TRAINING,
  trainEnergyModelSchema,
  trainsWeights,
  type TrainEnergyModelInput,
} from "./models-schema.js";
import type { OnnxForecaster } from "./forecasting.js";
import { loadSeries, type LoadedSeries } from "./series.js";
import { ownedOrNotFound } from "../owned.js";

export const ENERGY_TRAIN_JOB = "energy.train";

export function ownVersion(userId: number, id: number): Promise<EnergyModelVersion> {
  return ownedOrNotFound(EnergyModelVersion, id, userId, "Model version not found");
}

/** The request with lookback, horizon, epochs and learning rate filled in from the asset's frequency and the kind. */
export function resolveRequest(
  input: ReturnType<typeof trainEnergyModelSchema.parse>,
  asset: { frequencySeconds: number | null; pointCount: number },
) {
  if (!asset.frequencySeconds) throw fieldError("BAD_REQUEST", "assetId", "forecast:errors.noFrequency");
  const d = forecastDefaults(asset.frequencySeconds, asset.pointCount);
  const lookback = input.lookback ?? d.lookback,
    horizon = input.horizon ?? d.horizon;
  const trained = trainsWeights(input.kind) ? DEFAULT_TRAINING[input.kind] : null;
  const multiDay = input.kind === "seasonal-mean" || input.kind === "seasonal-median";
  const days = multiDay ? 2 : input.kind === "auto" || input.kind === "seasonal-naive" ? 1 : 0;
  if (lookback < days * d.season) {
    const model =
      input.kind === "auto"
        ? "forecast:errors.needsDays.auto"
        : input.kind === "seasonal-mean"
          ? "forecast:errors.needsDays.mean"
          : input.kind === "seasonal-median"
            ? "forecast:errors.needsDays.median"
            : "forecast:errors.needsDays.naive";
    throw fieldError("BAD_REQUEST", "lookback", "forecast:errors.lookbackDays", {
      model,
      days,
      steps: days * d.season,
      lookback,
    });
  }
  return {
    ...input,
    lookback,
    horizon,
    season: d.season,
    epochs: trained ? (input.epochs ?? trained.epochs) : undefined,
    learningRate: trained ? (input.learningRate ?? trained.learningRate) : undefined,
    budgetSeconds: input.kind === "auto" ? (input.budgetSeconds ?? AUTO_BUDGET_SECONDS) : undefined,
  };
}

export type ResolvedTrainRequest = ReturnType<typeof resolveRequest>;

export async function startTraining(userId: number, raw: TrainEnergyModelInput, opts: { jobNamePrefix?: string } = {}) {
  const parsed = trainEnergyModelSchema.parse(raw);
  const asset = await readableAsset(userId, parsed.assetId);
  const input = resolveRequest(parsed, asset);
  if (asset.pointCount < input.lookback + 3 * input.horizon) {
    throw fieldError("BAD_REQUEST", "lookback", "forecast:errors.tooFewPoints", {
      points: asset.pointCount,
      lookback: input.lookback,
      horizon: input.horizon,
    });
  }
  const view = await db().transaction(async (trx) => {
    await checkActiveJobs(trx, userId, 1);
    const v = await EnergyModelVersion.query(trx).insertAndFetch({
      userId,
      assetId: asset.id,
      kind: input.kind,
      status: "PENDING",
      config: { request: input },
      metrics: null,
      history: null,
      trainSeconds: null,
      error: null,
      jobId: null,
    });
    const jobId = await queue.send(
      jobName(ENERGY_TRAIN_JOB, opts.jobNamePrefix),
      { versionId: v.id },
      { userId, retryLimit: 0, expireIn: 3600 },
      trx,
    );
    return (await v.$query(trx).patchAndFetch({ jobId })).toPublic();
  });
  return (await withJobStatus(userId, [view]))[0];
}

export async function listVersions(userId: number, assetId?: number) {
  if (assetId !== undefined) await readableAsset(userId, assetId);
  const q = EnergyModelVersion.query().where({ userId }).orderBy("id", "desc").limit(200);
  if (assetId !== undefined) q.where({ assetId });
  return withJobStatus(
    userId,
    (await q).map((v) => v.toPublic()),
  );
}

export async function getVersion(userId: number, id: number) {
  const v = await ownVersion(userId, id);
  return { ...(await withJobStatus(userId, [v.toPublic()]))[0], history: v.history };
}

/** Ready versions of an asset with their tail metrics, plus the seasonal-naive baseline row(s). */
export async function compareVersions(userId: number, assetId: number) {
  await readableAsset(userId, assetId);
  const versions = await EnergyModelVersion.query()
    .where({ userId, assetId, status: "SUCCEEDED" })
    .orderBy("id", "desc");
  const rows = versions.map((v) => {
    const m = (v.metrics ?? {}) as Record<string, any>;
    const req = (v.config.request ?? {}) as Record<string, any>;
    return {
      id: v.id,
      name: `${v.kind} #${v.id}`,
      kind: v.kind as string,
      lookback: req.lookback,
      horizon: req.horizon,
      mae: m.mae,
      rmse: m.rmse,
      smape: m.smape,
      mase: m.mase,
      coverage: m.coverage,
      trainSeconds: v.trainSeconds,
      baseline: false,
    };
  });
  const seen = new Set<string>();
  const baselines = [];
  for (const v of versions) {
    const b = (v.metrics as Record<string, any> | null)?.baseline;
    const req = (v.config.request ?? {}) as Record<string, any>;
    const key = `${req.lookback}/${req.horizon}`;
    if (!b || seen.has(key)) continue;
    seen.add(key);
    baselines.push({
      id: null,
      name: "seasonal naive",
      kind: "seasonal-naive",
      lookback: req.lookback,
      horizon: req.horizon,
      mae: b.mae,
      rmse: b.rmse,
      smape: b.smape,
      mase: b.mase,
      coverage: b.coverage,
      trainSeconds: null,
      baseline: true,
    });
  }
  return [...baselines, ...rows];
}

/** Forecast of the H steps after the asset's last point (future covariates unknown: NaN → mean). */
export async function forecastLatest(userId: number, versionId: number) {
  const { v, asset, f } = await readyVersion(userId, versionId);
  const { lookback: L, frequencySeconds } = f.config;
  const stepMs = frequencySeconds * 1000;
  const last = asset.lastTs ? new Date(asset.lastTs).getTime() : Date.now();
  const series = await loadSeries({ assetId: v.assetId, userId, from: last - (L + 1) * stepMs * 2 });
  if (series.timestamps.length < L)
    throw userError("BAD_REQUEST", "forecast:errors.tooFewRecent", { points: series.timestamps.length, lookback: L });
  return forecastAfter(v, asset, f, series);
}

export async function readyVersion(userId: number, versionId: number) {
  const v = await ownVersion(userId, versionId);
  // SUCCEEDED is written in the transaction that completes the job (jobs/handlers/energy-train.ts).
  if (v.status !== "SUCCEEDED") {
    const [shown] = await withJobStatus(userId, [v.toPublic()]);
    throw userError("BAD_REQUEST", "forecast:errors.notReady", { status: shown.status });
  }
  const asset = await readableAsset(userId, v.assetId);
  return { v, asset, f: await forecasterFor(v) };
}

/** The H steps after the last point of `series` (its last L points are the model's input). */
export async function forecastAfter(
  v: EnergyModelVersion,
  asset: { unit: string | null; targetName: string },
  f: OnnxForecaster,
  series: LoadedSeries,
) {
  const { lookback: L, horizon: H, frequencySeconds } = f.config;
  const stepMs = frequencySeconds * 1000;
  const T = series.timestamps.length;
  const end = series.timestamps[T - 1];
  const ts = Float64Array.from({ length: H }, (_, h) => end + (h + 1) * stepMs);
  const q = await f.forecast(series, { timestamps: ts, calendar: calendarFeatures(ts), covariates: [] });
  const shown = Math.min(T, Math.max(L, 2 * H));
  return {
    versionId: v.id,
    kind: v.kind,
    unit: asset.unit,
    targetName: asset.targetName,
    calibrated: f.config.calibration !== null && f.config.calibration !== undefined,
    history: Array.from({ length: shown }, (_, i) => ({
      ts: series.timestamps[T - shown + i],
      value: Number.isFinite(series.values[T - shown + i]) ? series.values[T - shown + i] : null,
    })),
    forecast: Array.from({ length: H }, (_, h) => ({ ts: ts[h], q10: q.q10[h], q50: q.q50[h], q90: q.q90[h] })),
  };
}

export function forecastCsv(f: Awaited<ReturnType<typeof forecastLatest>>): string {
  const lines = ["timestamp,q10,q50,q90"];
  for (const p of f.forecast) lines.push(`${new Date(p.ts).toISOString()},${p.q10},${p.q50},${p.q90}`);
  return lines.join("\n") + "\n";
}

export async function deleteVersion(userId: number, id: number) {
  const v = await ownVersion(userId, id);
  if (v.jobId) await queue.cancel(v.jobId, { userId }); // a no-op once the job has ended
  await EnergyModelVersion.query().deleteById(id);
  forgetForecaster(id);
  await artifacts().deletePrefix(artifactKey(userId, "energy-models", id));
  return { id };
}
