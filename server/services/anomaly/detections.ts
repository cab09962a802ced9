/**
 * Batch detection: an energy.detect job scores every point of a time range of the asset or of
 * an uploaded file (parsed like an energy upload: readTable + prepareSeries), flags those
 * outside the detector's thresholds and groups flags into events. Per-point results are an
 * artifact ({userId}/detections/{detectionId}/points.json, beside the input file); events and counts live on the row.
 * An uploaded file is scored after the asset's stored points that precede it (its lookback),
 * so its first points are scored too when the file continues the asset.
 */
import * as queue from "../../../jobs/queue.js";
import { checkActiveJobs } from "../quotas.js";
import { completeIfActive, jobName, lockIfActive, withJobStatus, type ActiveJob } from "../../../jobs/lifecycle.js";
import { db } from "../../../db/db.js";
import { AnomalyDetection, type AnomalyEvent } from "../../../db/models/anomaly-detection.js";
import { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { EnergyAsset } from "../../../db/models/energy-asset.js";
import { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import { artifactKey, artifacts, storedName } from "../../storage/artifacts.js";
import { detectInput, type DetectInput } from "../../schemas/anomaly.js";
import { readTable, UploadRejected } from "../energy/parse-file.js";
import { prepareSeries } from "../energy/prepare.js";
import { loadSeries, sliceSeries, type LoadedSeries } from "../energy/series.js";
import { ownDetection, ownDetector } from "./access.js";
import { forecasterFor } from "../energy/sessions.js";
import { flagScores, groupEvents, indexRange, residualScores } from "./detector.js";
import { oneStepForecasts } from "./residuals.js";
import { toSeries, type ScoredPoint } from "./realtime.js";
import { alertEvents, runStream, storedHistory, streamValue } from "./streaming-detector.js";

export const DETECT_JOB = "energy.detect";

export interface DetectedPoints {
  ts: number[];
  value: (number | null)[];
  q10: (number | null)[];
  q50: (number | null)[];
  q90: (number | null)[];
  score: (number | null)[];
  flag: number[];
}

export async function startDetection(userId: number, raw: DetectInput, opts: { jobNamePrefix?: string } = {}) {
  const input = detectInput.parse(raw);
  const d = await ownDetector(userId, input.detectorId);
  const mergeGap = input.mergeGap ?? d.settings.mergeGap;
  return db()
    .transaction(async (trx) => {
      await checkActiveJobs(trx, userId, 1);
      let request: Record<string, unknown>;
      const row = await AnomalyDetection.query(trx).insertAndFetch({
        userId,
        detectorId: d.id,
        source: input.source,
        request: {},
        status: "PENDING",
        summary: null,
        events: null,
        error: null,
        jobId: null,
      });
      if (input.source === "range") {
        request = { from: input.from ?? null, to: input.to ?? null, mergeGap };
      } else {
        const name = storedName(input.fileName.toLowerCase().endsWith(".xlsx") ? "xlsx" : "csv");
        await artifacts().put(
          artifactKey(userId, "detections", row.id, name),
          Buffer.from(input.contentBase64, "base64"),
        );
        request = {
          fileName: input.fileName.slice(0, 255),
          storedName: name,
          mapping: input.mapping,
          options: input.options,
          mergeGap,
        };
      }
      const jobId = await queue.send(
        jobName(DETECT_JOB, opts.jobNamePrefix),
        { detectionId: row.id },
        { userId, retryLimit: 0, expireIn: 1800 },
        trx,
      );
      return (await row.$query(trx).patchAndFetch({ request, jobId })).toPublic();
    })
    .then(async (view) => (await withJobStatus(userId, [view]))[0]);
}

/** An uploaded file's points (parsed like an energy upload), covariates in the asset's order. */
async function uploadedPoints(det: AnomalyDetection, asset: EnergyAsset) {
  const req = det.request as Record<string, any>;
  const buf = await artifacts().get(artifactKey(det.userId, "detections", det.id, req.storedName));
  let table;
  try {
    table = await readTable(req.fileName, buf);
  } catch (e) {
    if (e instanceof UploadRejected) throw new Error(`the file was rejected: ${e.reasons.join("; ")}`);
    throw e;
  }
  const prepared = prepareSeries(table, req.mapping, req.options);
  if (!prepared.ok) throw new Error(`the file was rejected: ${prepared.reasons.join("; ")}`);
  if (!prepared.points.length) throw new Error("the file has no points");
  // The file's covariates by name, in the asset's order.
  const fileCovs = (req.mapping.covariates as { column: string }[]).map((c) => c.column);
  const specs = asset.covariates ?? [];
  const idx = specs.map((s) => fileCovs.indexOf(s.name));
  return prepared.points.map((p) => ({
    ts: p.ts,
    value: p.value,
    covariates: specs.length ? idx.map((j) => (j >= 0 ? p.covariates[j] : null)) : null,
    flags: p.flags,
  }));
}

/** The series to score and the index its scored part starts at. */
async function seriesFor(
  det: AnomalyDetection,
  detector: AnomalyDetector,
  L: number,
): Promise<{ series: LoadedSeries; from: number; to: number }> {
  const req = det.request as Record<string, any>;
  const asset = (await EnergyAsset.query().findById(detector.assetId))!;
  const stepMs = (asset.frequencySeconds ?? 1) * 1000;
  if (det.source === "range") {
    const series = await loadSeries({
      assetId: asset.id,
      userId: det.userId,
      from: req.from != null ? req.from - 2 * L * stepMs : undefined,
      to: req.to ?? undefined,
    });
    const [from, to] = indexRange(series.timestamps, req.from, req.to);
    return { series, from, to };
  }
  const filePoints = await uploadedPoints(det, asset);
  const specs = asset.covariates ?? [];
  const firstTs = filePoints[0].ts;
  const before = await loadSeries({
    assetId: asset.id,
    userId: det.userId,
    from: firstTs - 2 * L * stepMs,
    to: firstTs - 1,
  });
  const k = Math.max(0, before.timestamps.length - L);
  const hist = sliceSeries(before, k, before.timestamps.length);
  const histPoints = Array.from(hist.timestamps, (ts, i) => ({
    ts,
    value: Number.isFinite(hist.values[i]) ? hist.values[i] : null,
    covariates: specs.map((_, j) => {
      const c = hist.covariates[j];
      return c.kind === "numeric" ? (Number.isFinite(c.values[i]) ? c.values[i] : null) : c.values[i];
    }),
    flags: hist.flags[i],
  }));
  const series = toSeries(asset, [...histPoints, ...filePoints]);
  return { series, from: histPoints.length, to: histPoints.length + filePoints.length };
}

/**
 * A streaming detector over a range of the asset or a file: the detector replays the asset's
 * stored points from the stream's start (up to the range's end, or up to the file's first point),
 * then the file's points; the requested part's scores and alerts are kept.
 */
async function streamingPoints(det: AnomalyDetection, detector: AnomalyDetector) {
  const req = det.request as Record<string, any>;
  let ts: number[], values: (number | null)[], from: number;
  if (det.source === "range") {
    const h = await storedHistory(detector, req.to != null ? req.to + 1 : undefined);
    [from] = indexRange(h.ts, req.from, null);
    ({ ts, values } = h);
  } else {
    const asset = (await EnergyAsset.query().findById(detector.assetId))!;
    const file = await uploadedPoints(det, asset);
    const h = await storedHistory(detector, file[0].ts);
    from = h.ts.length;
    ts = [...h.ts, ...file.map((p) => p.ts)];
    values = [...h.values, ...file.map((p) => streamValue(p.value, p.flags))];
  }
  const run = runStream(detector.streaming!, values);
  const raw = [...values];
  const n = ts.length - from;
  const points: DetectedPoints = {
    ts: ts.slice(from),
    value: raw.slice(from),
    q10: new Array(n).fill(null),
    q50: new Array(n).fill(null),
    q90: new Array(n).fill(null),
    score: run.scores.slice(from),
    flag: run.alerts.slice(from).map(Number),
  };
  return { points, events: alertEvents(ts, run, from) };
}

const fin = (v: number) => (Number.isFinite(v) ? v : null);

/** Runs one detection (the energy.detect handler's body). */
export async function runDetection(
  detectionId: number,
  progress: (done: number, total: number) => Promise<void>,
  signal?: AbortSignal,
  job?: ActiveJob,
) {
  const det = await AnomalyDetection.query().findById(detectionId);
  if (!det) throw new Error(`detection ${detectionId} does not exist`);
  const detector = await AnomalyDetector.query().findById(det.detectorId);
  const version = detector?.modelVersionId ? await EnergyModelVersion.query().findById(detector.modelVersionId) : null;
  if (!detector || (detector.kind !== "streaming" && !version))
    throw new Error("the detector or its model version is gone");
  const started = performance.now();
  if (detector.kind === "streaming") return finish(det, await streamingPoints(det, detector), started, job);
  const f = await forecasterFor(version!);
  const { series, from, to } = await seriesFor(det, detector, f.config.lookback);
  const q = await oneStepForecasts(f, series, from, to, async (done, total) => {
    if (signal?.aborted) throw new Error("cancelled");
    await progress(done, total);
  });
  const ts = Array.from(series.timestamps.subarray(from, to));
  const values = series.values.subarray(from, to);
  const scores = residualScores(values, q, detector.settings.scoreMode);
  const flags = flagScores(scores, { low: detector.lowThreshold, high: detector.highThreshold });
  const mergeGap = Number((det.request as Record<string, unknown>).mergeGap ?? detector.settings.mergeGap);
  const events = groupEvents(ts, flags, scores, mergeGap);
  const points: DetectedPoints = {
    ts,
    value: Array.from(values, fin),
    q10: Array.from(q.q10, fin),
    q50: Array.from(q.q50, fin),
    q90: Array.from(q.q90, fin),
    score: Array.from(scores, fin),
    flag: Array.from(flags),
  };
  return finish(det, { points, events }, started, job);
}

/** Stores a detection's points and its summary; with `job`, SUCCEEDED commits with the job's completion (or not at all). */
async function finish(
  det: AnomalyDetection,
  { points, events }: { points: DetectedPoints; events: AnomalyEvent[] },
  started: number,
  job?: ActiveJob,
) {
  const ts = points.ts;
  await artifacts().put(artifactKey(det.userId, "detections", det.id, "points.json"), JSON.stringify(points));
  const summary = {
    points: ts.length,
    scored: points.score.filter((x) => x !== null).length,
    flagged: points.flag.reduce((a, b) => a + b, 0),
    events: events.length,
    fromTs: ts[0] ?? null,
    toTs: ts.at(-1) ?? null,
    seconds: (performance.now() - started) / 1000,
  };
  const output = { detectionId: det.id, ...summary };
  await db().transaction(async (trx) => {
    if (job) await lockIfActive(trx, job);
    await det.$query(trx).patch({ status: "SUCCEEDED", summary, events });
    if (job) await completeIfActive(trx, job, output);
  });
  return output;
}

export async function listDetections(userId: number, detectorId?: number) {
  if (detectorId) await ownDetector(userId, detectorId);
  const q = AnomalyDetection.query().where({ userId }).orderBy("id", "desc").limit(100);
  if (detectorId) q.where({ detectorId });
  return withJobStatus(
    userId,
    (await q).map((d) => d.toPublic()),
  );
}

async function loadPoints(det: AnomalyDetection): Promise<DetectedPoints | null> {
  if (det.status !== "SUCCEEDED") return null; // written with the job's completion
  return JSON.parse(
    (await artifacts().get(artifactKey(det.userId, "detections", det.id, "points.json"))).toString("utf8"),
  ) as DetectedPoints;
}

/** The row, its detector and the points for a chart: every flagged point plus an even thinning of the rest. */
export async function getDetection(userId: number, id: number, maxPoints: number) {
  const det = await ownDetection(userId, id);
  const detector = (await AnomalyDetector.query().findById(det.detectorId))!;
  const p = await loadPoints(det);
  let chart: ScoredPoint[] = [];
  if (p) {
    const n = p.ts.length;
    const every = Math.max(1, Math.ceil(n / maxPoints));
    for (let i = 0; i < n; i++) {
      if (i % every === 0 || p.flag[i])
        chart.push({
          ts: p.ts[i],
          value: p.value[i],
          q10: p.q10[i],
          q50: p.q50[i],
          q90: p.q90[i],
          score: p.score[i],
          flag: !!p.flag[i],
        });
    }
  }
  return {
    ...(await withJobStatus(userId, [det.toPublic()]))[0],
    detector: detector.toPublic(),
    points: chart,
    totalPoints: p?.ts.length ?? 0,
  };
}

const iso = (t: number) => new Date(t).toISOString();

export async function detectionCsv(userId: number, id: number, what: "events" | "points") {
  const det = await ownDetection(userId, id);
  if (what === "events") {
    const lines = ["start,end,peak_ts,peak_score,points"];
    for (const e of det.events ?? [])
      lines.push(`${iso(e.start)},${iso(e.end)},${iso(e.peakTs)},${e.peakScore},${e.points}`);
    return { filename: `anomaly-events-${det.id}.csv`, csv: lines.join("\n") + "\n" };
  }
  const p = await loadPoints(det);
  const lines = ["timestamp,value,q10,q50,q90,score,flag"];
  const c = (v: number | null) => (v === null ? "" : String(v));
  if (p)
    for (let i = 0; i < p.ts.length; i++)
      lines.push(
        `${iso(p.ts[i])},${c(p.value[i])},${c(p.q10[i])},${c(p.q50[i])},${c(p.q90[i])},${c(p.score[i])},${p.flag[i]}`,
      );
  return { filename: `anomaly-points-${det.id}.csv`, csv: lines.join("\n") + "\n" };
}

export async function deleteDetection(userId: number, id: number) {
  const det = await ownDetection(userId, id);
  if (det.jobId) await queue.cancel(det.jobId, { userId }); // a no-op once the job has ended
  await AnomalyDetection.query().deleteById(det.id);
  await artifacts().deletePrefix(artifactKey(userId, "detections", det.id));
  return { id: det.id };
}
