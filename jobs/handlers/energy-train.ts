/**
 * energy.train: trains one energy model version ({ versionId }) with the native addon, with
 * per-epoch (per-round) progress and metrics, cancel via the job's signal; writes model.onnx,
 * config.json (and the XGBoost JSON models) under {userId}/energy-models/{versionId}/, evaluates the
 * ONNX graph on the held-out tail (evaluateOnTail) against seasonal naive, and marks the row ready.
 */
import { EnergyModelVersion } from "../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../../server/storage/artifacts.js";
import { evaluateSeriesOnTail, seasonalNaiveForecaster } from "../../server/services/energy/evaluate.js";
import { OnnxForecaster, trainForecaster } from "../../server/services/energy/forecasting.js";
import { trainEnergyModelSchema } from "../../server/services/energy/models-schema.js";
import { seasonSteps } from "../../server/services/energy/seasonal-naive.js";
import { loadSeries } from "../../server/services/energy/series.js";
import { errorMessage } from "../queue.js";
import { registerHandler } from "../registry.js";

registerHandler<{ versionId: number }>("energy.train", async (job, ctx) => {
  const v = await EnergyModelVersion.query().findById(job.data.versionId);
  if (!v) throw new Error(`energy model version ${job.data.versionId} does not exist`);
  const request = trainEnergyModelSchema.parse(v.config.request);
  await v.$query().patch({ status: "training", error: null });
  try {
    const series = await loadSeries({ assetId: v.assetId, userId: v.userId });
    await ctx.log(`${v.kind}: ${series.timestamps.length} points, lookback ${request.lookback}, horizon ${request.horizon}, ${request.epochs} ${v.kind === "gbdt" ? "rounds" : "epochs"}`);
    const pending: Promise<unknown>[] = [];
    const trained = await trainForecaster(
      series,
      { kind: request.kind, lookback: request.lookback, horizon: request.horizon, quantiles: request.quantiles, epochs: request.epochs, learningRate: request.learningRate, seed: request.seed, threads: request.kind === "gbdt" ? 2 : 1 },
      (e) => {
        pending.push(ctx.progress(e.epoch, e.total, { phase: "train" }).catch(() => {}));
        pending.push(ctx.metric({ epoch: e.epoch, trainLoss: e.trainLoss, valLoss: e.valLoss, ms: Math.round(e.elapsedMs) }).catch(() => {}));
      },
      ctx.signal,
    );
    await Promise.all(pending);
    if (trained.cancelled || !trained.onnx.length) {
      await v.$query().patch({ status: "cancelled", history: trained.history as unknown[] });
      await ctx.log("cancelled", "warn");
      return { versionId: v.id, cancelled: true };
    }
    const store = artifacts();
    await store.put(artifactKey(v.userId, "energy-models", v.id, "model.onnx"), trained.onnx);
    await store.put(artifactKey(v.userId, "energy-models", v.id, "config.json"), JSON.stringify(trained.config));
    for (const [name, content] of Object.entries(trained.files)) await store.put(artifactKey(v.userId, "energy-models", v.id, name), content);
    await ctx.log(`trained in ${trained.trainSeconds.toFixed(1)} s (best ${v.kind === "gbdt" ? "round" : "epoch"} ${trained.best}); evaluating the ONNX graph on the held-out tail`);

    const f = await OnnxForecaster.create(trained.onnx, trained.config);
    const opts = { lookback: request.lookback, horizon: request.horizon, fraction: trained.config.split.fraction };
    const ev = await evaluateSeriesOnTail(series, f.asForecaster(), { ...opts, name: v.kind });
    const base = await evaluateSeriesOnTail(series, seasonalNaiveForecaster(seasonSteps(series.frequencySeconds!)), { ...opts, name: "seasonal naive" });
    const metrics = { ...ev.metrics, windows: ev.windows, testStartTs: ev.testStartTs, scale: ev.scale, maeByStep: ev.maeByStep, baseline: base.metrics };
    await v.$query().patch({
      status: "ready",
      config: { request, ...trained.config },
      metrics,
      history: trained.history as unknown[],
      trainSeconds: trained.trainSeconds,
    });
    await ctx.log(`MASE ${ev.metrics.mase.toFixed(3)} (seasonal naive ${base.metrics.mase.toFixed(3)}), 10–90 % coverage ${(ev.metrics.coverage * 100).toFixed(1)} %`);
    return { versionId: v.id, mase: ev.metrics.mase };
  } catch (e) {
    await v.$query().patch({ status: "failed", error: errorMessage(e).slice(0, 2000) });
    throw e;
  }
});
