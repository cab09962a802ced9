/**
 * Streaming detectors in the product: fitting one on an asset (probation, settings, the state
 * after the asset's stored points for real time) and running one over points, shared by batch
 * detection (detections.ts) and real-time scoring (realtime.ts) so both give the same alerts.
 * A stream starts at the probation's first point; every run replays the detector from there
 * (it is fast: about half a million points a second), except real time, which resumes from the
 * state it persisted after its last point.
 */
import { db } from "../../../db/db.js";
import { AnomalyDetector, type StreamingDetectorSettings } from "../../../db/models/anomaly-detector.js";
import type { AnomalyEvent } from "../../../db/models/anomaly-detection.js";
import { fieldError } from "../../trpc/errors.js";
import { fitStreamingInput, type FitStreamingInput } from "../../schemas/anomaly.js";
import { readableAsset } from "../energy/access.js";
import { loadSeries } from "../energy/series.js";
import { POINT_FLAGS } from "../energy/types.js";
import { indexRange, quantile } from "./detector.js";
import {
  DEFAULT_STREAMING,
  initialState,
  MIN_PROBATION,
  probationPoints,
  step,
  type StreamingSettings,
  type StreamingState,
} from "./streaming.js";

/** The detector's input value: missing, non-finite or dropout-flagged points are missing; values as float32 (as stored series load). */
export function streamValue(value: number | null | undefined, flags = 0): number | null {
  if (value === null || value === undefined || !Number.isFinite(value) || flags & POINT_FLAGS.DROPOUT) return null;
  return Math.fround(value);
}

export function settingsOf(d: StreamingDetectorSettings): StreamingSettings {
  const {
    threshold,
    shortWindow,
    longMemory,
    errorMemory,
    surpriseScale,
    profileRate,
    cleanAbove,
    rangeMargin,
    suppression,
    backoff,
  } = d;
  return {
    threshold,
    shortWindow,
    longMemory,
    errorMemory,
    surpriseScale,
    profileRate,
    cleanAbove,
    rangeMargin,
    suppression,
    backoff,
  };
}

export interface StreamRun {
  scores: (number | null)[];
  alerts: boolean[];
  learning: boolean[];
  state: StreamingState;
}

/** Runs the detector over `values` from `state` (a fresh one by default); the state is advanced in place. */
export function runStream(
  d: StreamingDetectorSettings,
  values: (number | null)[],
  state: StreamingState = initialState(d.probation, d.stepSeconds),
): StreamRun {
  const cfg = settingsOf(d);
  const out: StreamRun = { scores: [], alerts: [], learning: [], state };
  for (const v of values) {
    const r = step(state, v, cfg);
    out.scores.push(r.score);
    out.alerts.push(r.alert);
    out.learning.push(r.learning);
  }
  return out;
}

/** One event per alert: the alert's point, its score (compared with the threshold on the pages). */
export function alertEvents(
  ts: ArrayLike<number>,
  run: Pick<StreamRun, "scores" | "alerts">,
  from = 0,
): AnomalyEvent[] {
  const events: AnomalyEvent[] = [];
  for (let i = from; i < run.alerts.length; i++)
    if (run.alerts[i]) events.push({ start: ts[i], end: ts[i], peakTs: ts[i], peakScore: run.scores[i]!, points: 1 });
  return events;
}

/** The asset's stored points from the stream's start up to (not including) `beforeTs` (default: all). */
export async function storedHistory(
  d: AnomalyDetector,
  beforeTs?: number,
): Promise<{ ts: number[]; values: (number | null)[] }> {
  const q = db()("energySeriesPoints")
    .where({ assetId: d.assetId })
    .where("ts", ">=", new Date(d.streaming!.startTs))
    .orderBy("ts")
    .select("ts", "value", "flags");
  if (beforeTs !== undefined) q.where("ts", "<", new Date(beforeTs));
  const rows: { ts: Date; value: number | null; flags: number }[] = await q;
  return { ts: rows.map((r) => r.ts.getTime()), values: rows.map((r) => streamValue(r.value, r.flags)) };
}

export async function fitStreamingDetector(userId: number, raw: FitStreamingInput) {
  const input = fitStreamingInput.parse(raw);
  const asset = await readableAsset(userId, input.assetId);
  const series = await loadSeries({ assetId: asset.id, userId });
  const T = series.timestamps.length;
  let start = 0,
    probation: number;
  if (input.probationFrom != null || input.probationTo != null) {
    const [a, b] = indexRange(series.timestamps, input.probationFrom, input.probationTo);
    if (b - a < MIN_PROBATION)
      throw fieldError("BAD_REQUEST", "probationTo", "anomaly:errors.probationTooShort", {
        points: Math.max(0, b - a),
        minimum: MIN_PROBATION,
      });
    start = a;
    probation = b - a;
  } else {
    if (T < MIN_PROBATION + 1)
      throw fieldError("BAD_REQUEST", "assetId", "anomaly:errors.assetTooShort", {
        points: T,
        minimum: MIN_PROBATION + 1,
      });
    probation = probationPoints(T);
  }
  const values = Array.from(series.values.subarray(start), (v, i) => streamValue(v, series.flags[start + i]));
  const settings: StreamingDetectorSettings = {
    ...DEFAULT_STREAMING,
    threshold: input.threshold ?? DEFAULT_STREAMING.threshold,
    stepSeconds: asset.frequencySeconds ?? null,
    probation,
    startTs: series.timestamps[start],
    probationEndTs: series.timestamps[Math.min(T - 1, start + probation - 1)],
  };
  const run = runStream(settings, values);
  const scored = run.scores.filter((s, i): s is number => s !== null && !run.learning[i]).sort((x, y) => x - y);
  const mean = scored.reduce((x, y) => x + y, 0) / Math.max(1, scored.length);
  const summary = scored.length
    ? {
        n: scored.length,
        mean,
        min: scored[0],
        p50: quantile(scored, 0.5),
        p90: quantile(scored, 0.9),
        p99: quantile(scored, 0.99),
        p999: quantile(scored, 0.999),
        max: scored[scored.length - 1],
      }
    : { n: 0, mean: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0 };
  const name = input.name?.trim() || `streaming · ${asset.name} · threshold ${settings.threshold}`;
  const d = await AnomalyDetector.query().insertAndFetch({
    userId,
    kind: "streaming",
    modelVersionId: null,
    assetId: asset.id,
    name: name.slice(0, 200),
    settings: { lowQuantile: null, highQuantile: null, scoreMode: "raw", mergeGap: 1 },
    lowThreshold: null,
    highThreshold: settings.threshold,
    streaming: settings,
    fittedRange: {
      fromTs: settings.startTs,
      toTs: settings.probationEndTs,
      points: probation,
      excludedDropout: values.slice(0, probation).filter((v) => v === null).length,
      excludedLabelled: 0,
      unscored: 0,
    },
    summary,
    streamState: run.state,
    streamTs: new Date(series.timestamps[T - 1]),
  });
  return d.toPublic();
}
