/**
 * Fitting a quantile detector on a version's residual scores. Clean points: inside the fit
 * range, forecast (a full lookback before them), not flagged DROPOUT, and outside every
 * labelled anomaly window of the asset (e.g. NAB's), so labelled anomalies never shape the
 * thresholds. Default range: the version's training part (everything before its held-out tail).
 */
import { AnomalyDetector, type DetectorSettings } from "../../../db/models/anomaly-detector.js";
import { EnergyAnomalyWindow } from "../../../db/models/energy-anomaly-window.js";
import { fieldError } from "../../trpc/errors.js";
import { fitDetectorInput, type FitDetectorInput } from "../../schemas/anomaly.js";
import { ownVersion } from "../energy/models.js";
import type { ForecasterConfig } from "../energy/forecasting.js";
import { loadSeries, type LoadedSeries } from "../energy/series.js";
import { POINT_FLAGS } from "../energy/types.js";
import { ownDetector } from "./access.js";
import { forecasterFor } from "../energy/sessions.js";
import { fitQuantileDetector, indexRange, residualScores } from "./detector.js";
import { oneStepForecasts } from "./residuals.js";
import { forgetStreams } from "./realtime.js";

export async function labelledWindows(
  assetId: number,
): Promise<{ start: number; end: number; label: number | null }[]> {
  const rows = await EnergyAnomalyWindow.query().where({ assetId }).orderBy("startTs");
  return rows.map((w) => ({
    start: new Date(w.startTs).getTime(),
    end: new Date(w.endTs).getTime(),
    label: w.labelTs ? new Date(w.labelTs).getTime() : null,
  }));
}

/** 1 where a timestamp lies inside any window (inclusive). */
export function insideWindows(ts: ArrayLike<number>, windows: { start: number; end: number }[]): Uint8Array {
  return Uint8Array.from({ length: ts.length }, (_, i) =>
    windows.some((w) => ts[i] >= w.start && ts[i] <= w.end) ? 1 : 0,
  );
}

export interface FitResult {
  lowThreshold: number | null;
  highThreshold: number | null;
  summary: AnomalyDetector["summary"];
  fittedRange: AnomalyDetector["fittedRange"];
}

/** Fits on points [from, to) of a loaded series with a forecaster (pure apart from the ONNX run). */
export async function fitOnSeries(
  f: Awaited<ReturnType<typeof forecasterFor>>,
  series: LoadedSeries,
  range: [number, number],
  settings: DetectorSettings,
  windows: { start: number; end: number }[],
): Promise<FitResult> {
  const [from, to] = range;
  const q = await oneStepForecasts(f, series, from, to);
  const y = series.values.subarray(from, to);
  const scores = residualScores(y, q, settings.scoreMode);
  const inWin = insideWindows(series.timestamps.subarray(from, to), windows);
  let excludedDropout = 0,
    excludedLabelled = 0,
    unscored = 0;
  const clean: number[] = [];
  for (let i = 0; i < scores.length; i++) {
    if (series.flags[from + i] & POINT_FLAGS.DROPOUT) excludedDropout++;
    else if (inWin[i]) excludedLabelled++;
    else if (!Number.isFinite(scores[i])) unscored++;
    else clean.push(scores[i]);
  }
  const fit = fitQuantileDetector(clean, settings);
  return {
    lowThreshold: fit.low,
    highThreshold: fit.high,
    summary: fit.summary,
    fittedRange: {
      fromTs: series.timestamps[from],
      toTs: series.timestamps[to - 1],
      points: clean.length,
      excludedDropout,
      excludedLabelled,
      unscored,
    },
  };
}

export async function fitDetector(userId: number, raw: FitDetectorInput) {
  const input = fitDetectorInput.parse(raw);
  const v = await ownVersion(userId, input.modelVersionId);
  if (v.status !== "SUCCEEDED") throw fieldError("BAD_REQUEST", "modelVersionId", "anomaly:errors.versionNotReady");
  const cfg = v.config as unknown as ForecasterConfig;
  const series = await loadSeries({ assetId: v.assetId, userId });
  const T = series.timestamps.length;
  let [from, to] =
    input.fitFrom != null || input.fitTo != null
      ? indexRange(series.timestamps, input.fitFrom, input.fitTo)
      : [0, Math.min(T, cfg.split?.trainPoints ?? T)];
  from = Math.max(from, cfg.lookback);
  // Bound the web process' work: the most recent points of the range.
  from = Math.max(from, to - 50_000);
  if (to - from < 20)
    throw fieldError("BAD_REQUEST", "fitTo", "anomaly:errors.fitRangeTooShort", { points: Math.max(0, to - from) });
  const settings: DetectorSettings = {
    lowQuantile: input.lowQuantile,
    highQuantile: input.highQuantile,
    scoreMode: input.scoreMode,
    mergeGap: input.mergeGap,
  };
  const f = await forecasterFor(v);
  let fit: FitResult;
  try {
    fit = await fitOnSeries(f, series, [from, to], settings, await labelledWindows(v.assetId));
  } catch (e) {
    if (e instanceof Error && /no clean scored points/.test(e.message))
      throw fieldError("BAD_REQUEST", "fitTo", "anomaly:errors.fitRangeNotClean");
    throw e;
  }
  const name =
    input.name?.trim() ||
    `${v.kind} #${v.id} · ${settings.scoreMode} · ${[settings.lowQuantile, settings.highQuantile].filter((x) => x !== null).join("/")}`;
  const d = await AnomalyDetector.query().insertAndFetch({
    userId,
    modelVersionId: v.id,
    assetId: v.assetId,
    name: name.slice(0, 200),
    settings,
    ...fit,
  });
  return d.toPublic();
}

export async function listDetectors(userId: number, input: { assetId?: number; modelVersionId?: number }) {
  const q = AnomalyDetector.query().where({ userId }).orderBy("id", "desc").limit(200);
  if (input.assetId) q.where({ assetId: input.assetId });
  if (input.modelVersionId) q.where({ modelVersionId: input.modelVersionId });
  return (await q).map((d) => d.toPublic());
}

export async function getDetector(userId: number, id: number) {
  return (await ownDetector(userId, id)).toPublic();
}

export async function deleteDetector(userId: number, id: number) {
  const d = await ownDetector(userId, id);
  await AnomalyDetector.query().deleteById(d.id);
  forgetStreams(d.id);
  return { id: d.id };
}
