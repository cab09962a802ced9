/**
 * energy.train: trains one energy model version ({ versionId }) with the native addon, with
 * per-epoch (per-round) progress and metrics, cancel via the job's signal; writes model.onnx,
 * config.json (and the XGBoost JSON models) under {userId}/energy-models/{versionId}/, evaluates the
 * ONNX graph on the held-out tail (evaluateOnTail) against seasonal naive, and marks the row ready.
 */
import { EnergyModelVersion } from "../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../../server/storage/artifacts.js";
import { evaluateSeriesOnTail, seasonalNaiveForecaster } from "../../server/services/energy/evaluate.js";
import type { EnergyEpoch } from "../../native/energy.js";
import { trainAuto, type AutoResult } from "../../server/services/energy/auto.js";
import { OnnxForecaster, trainForecaster, type TrainedForecaster } from "../../server/services/energy/forecasting.js";
import type { ResolvedTrainRequest } from "../../server/services/energy/models.js";
import { seasonSteps } from "../../server/services/energy/seasonal-naive.js";
import { loadSeries } from "../../server/services/energy/series.js";
import { db } from "../../db/db.js";
import { completedInTransaction, completeIfActive, JobNoLongerActive, lockIfActive } from "../lifecycle.js";
import { errorMessage } from "../queue.js";
import { registerHandler } from "../registry.js";

registerHandler<{ versionId: number }>("energy.train", async (job, ctx) => {
  const v = await EnergyModelVersion.query().findById(job.data.versionId);
  if (!v) throw new Error(`energy model version ${job.data.versionId} does not exist`);
  const request = v.config.request as ResolvedTrainRequest;
  try {
    const series = await loadSeries({ assetId: v.assetId, userId: v.userId });
    await ctx.log(
      `${request.kind}: ${series.timestamps.length} points, lookback ${request.lookback}, horizon ${request.horizon}${request.kind === "auto" ? `, budget ${request.budgetSeconds} s` : request.epochs ? `, ${request.epochs} ${request.kind === "gbdt" ? "rounds" : "epochs"}` : ""}`,
    );
    const pending: Promise<unknown>[] = [];
    const onEpoch = (kind: string, e: EnergyEpoch) => {
      pending.push(ctx.progress(e.epoch, e.total, { phase: "train", model: kind }).catch(() => {}));
      pending.push(
        ctx
          .metric({
            epoch: e.epoch,
            trainLoss: e.trainLoss,
            valLoss: e.valLoss,
            ms: Math.round(e.elapsedMs),
            model: kind,
          })
          .catch(() => {}),
      );
    };
    const common = {
      lookback: request.lookback,
      horizon: request.horizon,
      quantiles: request.quantiles,
      seed: request.seed,
    };
    let auto: AutoResult | null = null;
    let trained: TrainedForecaster;
    if (request.kind === "auto") {
      auto = await trainAuto(series, { ...common, budgetSeconds: request.budgetSeconds }, onEpoch, ctx.signal);
      trained = auto.trained;
      for (const c of auto.candidates)
        await ctx.log(
          `candidate ${c.kind}: ${c.status}${c.valMase !== null ? `, validation MASE ${c.valMase.toFixed(3)}` : ""}${c.error ? ` (${c.error})` : ""}${c.chosen ? " — chosen" : ""}`,
        );
    } else {
      trained = await trainForecaster(
        series,
        {
          ...common,
          kind: request.kind,
          epochs: request.epochs,
          learningRate: request.learningRate,
          threads: request.kind === "gbdt" ? 2 : 1,
        },
        (e) => onEpoch(request.kind, e),
        ctx.signal,
      );
    }
    await Promise.all(pending);
    if (trained.cancelled || !trained.onnx.length) {
      await v.$query().patch({ status: "CANCELED", history: trained.history as unknown[] });
      await ctx.log("cancelled", "warn");
      return { versionId: v.id, cancelled: true };
    }
    const store = artifacts();
    await store.put(artifactKey(v.userId, "energy-models", v.id, "model.onnx"), trained.onnx);
    await store.put(artifactKey(v.userId, "energy-models", v.id, "config.json"), JSON.stringify(trained.config));
    for (const [name, content] of Object.entries(trained.files))
      await store.put(artifactKey(v.userId, "energy-models", v.id, name), content);
    const kind = trained.config.kind;
    const cal = trained.config.calibration;
    await ctx.log(
      `${kind} trained in ${trained.trainSeconds.toFixed(1)} s${cal ? `; band calibrated on ${cal.n} validation points (coverage ${(cal.coverageBefore * 100).toFixed(1)} % → ${(cal.coverageAfter * 100).toFixed(1)} %)` : ""}; evaluating the ONNX graph on the held-out tail`,
    );

    const f = await OnnxForecaster.create(trained.onnx, trained.config);
    const opts = { lookback: request.lookback, horizon: request.horizon, fraction: trained.config.split.fraction };
    const ev = await evaluateSeriesOnTail(series, f.asForecaster(), { ...opts, name: kind });
    // The baseline reads one season back: a model's lookback may be shorter (the tail's origins are the same).
    const season = seasonSteps(series.frequencySeconds!);
    const base = await evaluateSeriesOnTail(series, seasonalNaiveForecaster(season), {
      ...opts,
      lookback: Math.max(opts.lookback, season),
      name: "seasonal naive",
    });
    const metrics = {
      ...ev.metrics,
      windows: ev.windows,
      testStartTs: ev.testStartTs,
      scale: ev.scale,
      maeByStep: ev.maeByStep,
      baseline: base.metrics,
    };
    const output = { versionId: v.id, mase: ev.metrics.mase };
    // The version turns SUCCEEDED in the transaction that completes its job, or not at all.
    await db().transaction(async (trx) => {
      await lockIfActive(trx, { id: ctx.jobId, workerId: ctx.workerId });
      await v.$query(trx).patch({
        status: "SUCCEEDED",
        kind,
        config: {
          request,
          ...trained.config,
          auto: auto
            ? {
                candidates: auto.candidates,
                budgetSeconds: auto.budgetSeconds,
                validationUnusualShare: auto.validationUnusualShare,
                seasonalOnly: auto.seasonalOnly,
              }
            : null,
        },
        metrics,
        history: trained.history as unknown[],
        trainSeconds: trained.trainSeconds,
      });
      await completeIfActive(trx, { id: ctx.jobId, workerId: ctx.workerId }, output);
    });
    await ctx.log(
      `MASE ${ev.metrics.mase.toFixed(3)} (seasonal naive ${base.metrics.mase.toFixed(3)}), 10–90 % coverage ${(ev.metrics.coverage * 100).toFixed(1)} %`,
    );
    return completedInTransaction(output);
  } catch (e) {
    if (e instanceof JobNoLongerActive) {
      await artifacts()
        .deletePrefix(artifactKey(v.userId, "energy-models", v.id))
        .catch(() => {});
      await ctx.log("the job ended before the version was stored; nothing is kept", "warn");
      return { versionId: v.id, cancelled: true };
    }
    await v.$query().patch({ status: "FAILED", error: errorMessage(e).slice(0, 2000) });
    throw e;
  }
});
