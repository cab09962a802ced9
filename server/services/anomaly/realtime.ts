/**
 * Real-time scoring (anomaly.score). Per (user, detector) the web process keeps a lookback
 * buffer (the last L points) in an LRU with a size bound, next to the cached ONNX session
 * (access.ts) and the detector row. A buffer is seeded from storage: the asset's stored points
 * and the points posted earlier for this detector (anomaly_stream_points, which win on equal
 * timestamps) before the first posted point. Posted points are scored with the same one-step
 * windows as batch detection (residuals.ts), stored, and appended to the buffer. A post whose
 * first point is not after the buffer's last one (a replay), or that finds points stored after
 * the buffer's last one (another web process scored a post for this detector, an upload added
 * asset points), reseeds the buffer from storage first, so results never depend on what this
 * process happened to see.
 * Posts for one stream are processed one at a time, in arrival order.
 * A streaming detector (streaming-detector.ts) keeps no lookback buffer but its detector state:
 * persisted on the detector row after every post (stream_state, stream_ts) and resumed from
 * there; a post that does not continue it (a replay, or stored points arrived in between)
 * rebuilds the state by replaying the stored points and the posted ones before the post.
 */
import { db } from "../../../db/db.js";
import type { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import type { EnergyAsset } from "../../../db/models/energy-asset.js";
import { readableAsset } from "../energy/access.js";
import { parseJson, type CovariateSeries, type LoadedSeries } from "../energy/series.js";
import { assertSameAsset, ownDetector } from "./access.js";
import { forecasterFor } from "../energy/sessions.js";
import { isAnomalous, residualScore } from "./detector.js";
import { Lru } from "../lru.js";
import { oneStepForecasts } from "./residuals.js";
import { scoreInput, type ScoreInput } from "../../schemas/anomaly.js";
import { AnomalyDetector as DetectorRow } from "../../../db/models/anomaly-detector.js";
import { runStream, storedHistory, streamValue } from "./streaming-detector.js";
import type { StreamingState } from "./streaming.js";

interface RawPoint {
  ts: number;
  value: number | null;
  covariates: (number | string | null)[] | null;
  flags: number;
}

interface Stream {
  detector: AnomalyDetector;
  version: EnergyModelVersion | null;
  asset: EnergyAsset;
  buffer: RawPoint[];
  chain: Promise<unknown>;
  /** Streaming detectors: the state after the point at stateTs. */
  state: StreamingState | null;
  stateTs: number | null;
}

export const STREAM_CACHE_SIZE = 256;
const streams = new Lru<string, Stream>(STREAM_CACHE_SIZE);

export function forgetStreams(detectorId: number): void {
  streams.deleteWhere((_, s) => s.detector.id === detectorId);
}

/** For tests: how many streams are cached. */
export function cachedStreams(): number {
  return streams.size;
}

/** A LoadedSeries of raw points, converted exactly as loadSeries converts stored rows. */
export function toSeries(asset: EnergyAsset, pts: RawPoint[]): LoadedSeries {
  const specs = asset.covariates ?? [];
  const covariates: CovariateSeries[] = specs.map((s, j) => {
    if (s.kind === "numeric") {
      return {
        name: s.name,
        kind: "numeric",
        role: s.role,
        values: Float32Array.from(pts, (p) =>
          typeof p.covariates?.[j] === "number" ? (p.covariates[j] as number) : NaN,
        ),
      };
    }
    const values = pts.map((p) => (p.covariates?.[j] != null ? String(p.covariates[j]) : null));
    const categories = [...new Set(values.filter((v): v is string => v !== null))].sort();
    const index = new Map(categories.map((c, k) => [c, k]));
    return {
      name: s.name,
      kind: "categorical",
      role: s.role,
      values,
      codes: Int32Array.from(values, (v) => (v === null ? -1 : index.get(v)!)),
      categories,
    };
  });
  return {
    assetId: asset.id,
    targetName: asset.targetName,
    unit: asset.unit,
    timestamps: Float64Array.from(pts, (p) => p.ts),
    values: Float32Array.from(pts, (p) => (p.value === null ? NaN : p.value)),
    flags: Uint8Array.from(pts, (p) => p.flags),
    covariates,
    frequencySeconds: asset.frequencySeconds,
  };
}

/** The last `L` points before `beforeTs`: the asset's stored points and this detector's posted ones. */
async function seedBuffer(d: AnomalyDetector, L: number, beforeTs: number): Promise<RawPoint[]> {
  const before = new Date(beforeTs);
  const [assetRows, streamRows] = await Promise.all([
    db()("energySeriesPoints")
      .where({ assetId: d.assetId })
      .where("ts", "<", before)
      .orderBy("ts", "desc")
      .limit(L)
      .select("ts", "value", "covariates", "flags"),
    db()("anomalyStreamPoints")
      .where({ detectorId: d.id })
      .where("ts", "<", before)
      .orderBy("ts", "desc")
      .limit(L)
      .select("ts", "value", "covariates"),
  ]);
  const byTs = new Map<number, RawPoint>();
  for (const r of assetRows)
    byTs.set(r.ts.getTime(), {
      ts: r.ts.getTime(),
      value: r.value,
      covariates: (parseJson(r.covariates) as RawPoint["covariates"]) ?? null,
      flags: r.flags,
    });
  for (const r of streamRows)
    byTs.set(r.ts.getTime(), {
      ts: r.ts.getTime(),
      value: r.value,
      covariates: (parseJson(r.covariates) as RawPoint["covariates"]) ?? null,
      flags: 0,
    });
  return [...byTs.values()].sort((a, b) => a.ts - b.ts).slice(-L);
}

/**
 * Whether points were stored between the buffer's end and a post (another web process scored a
 * post for this detector, or an upload added asset points): the buffer no longer ends where the
 * post starts and must be seeded again.
 */
async function storedBetween(d: AnomalyDetector, afterTs: number, beforeTs: number): Promise<boolean> {
  const range = [new Date(afterTs), new Date(beforeTs)] as const;
  const [asset, posted] = await Promise.all([
    db()("energySeriesPoints")
      .where({ assetId: d.assetId })
      .where("ts", ">", range[0])
      .where("ts", "<", range[1])
      .first("ts"),
    db()("anomalyStreamPoints")
      .where({ detectorId: d.id })
      .where("ts", ">", range[0])
      .where("ts", "<", range[1])
      .first("ts"),
  ]);
  return !!asset || !!posted;
}

export interface ScoredPoint {
  ts: number;
  value: number | null;
  q10: number | null;
  q50: number | null;
  q90: number | null;
  score: number | null;
  flag: boolean;
}

const fin = (v: number) => (Number.isFinite(v) ? v : null);

/** Stores scored points of a detector's stream (a point posted again replaces the stored one). */
async function storePoints(detectorId: number, userId: number, out: ScoredPoint[], covariates: unknown[]) {
  await db()("anomalyStreamPoints")
    .insert(
      out.map((o, i) => ({
        detectorId,
        ts: new Date(o.ts),
        userId,
        value: o.value,
        covariates: covariates[i] == null ? null : JSON.stringify(covariates[i]),
        q10: o.q10,
        q50: o.q50,
        q90: o.q90,
        score: o.score,
        flag: o.flag,
      })),
    )
    .onConflict(["detector_id", "ts"])
    .merge();
}

/** The state just before `firstTs`: the persisted one when the post continues it, else a replay. */
async function streamingStateBefore(s: Stream, firstTs: number): Promise<StreamingState> {
  const d = s.detector;
  const row = await DetectorRow.query().findById(d.id).select("streamTs");
  const rowTs = row?.streamTs ? new Date(row.streamTs).getTime() : null;
  if (!s.state || s.stateTs !== rowTs) {
    const full = await DetectorRow.query().findById(d.id).select("streamState", "streamTs");
    s.state = (full?.streamState as StreamingState | null) ?? null;
    s.stateTs = rowTs;
  }
  if (s.state && s.stateTs !== null && s.stateTs < firstTs) {
    const between = await db()("energySeriesPoints")
      .where({ assetId: d.assetId })
      .where("ts", ">", new Date(s.stateTs))
      .where("ts", "<", new Date(firstTs))
      .first("ts");
    // A copy: the cached state only advances once the post is stored.
    if (!between) return structuredClone(s.state);
  }
  // Replay: stored points and earlier posted ones (posted win on equal timestamps) before firstTs.
  const stored = await storedHistory(d, firstTs);
  const posted: { ts: Date; value: number | null }[] = await db()("anomalyStreamPoints")
    .where({ detectorId: d.id })
    .where("ts", ">=", new Date(d.streaming!.startTs))
    .where("ts", "<", new Date(firstTs))
    .orderBy("ts")
    .select("ts", "value");
  const byTs = new Map<number, number | null>();
  stored.ts.forEach((t, i) => byTs.set(t, stored.values[i]));
  for (const p of posted) byTs.set(p.ts.getTime(), streamValue(p.value));
  const values = [...byTs.entries()].sort((a, b) => a[0] - b[0]).map(([, v]) => v);
  return runStream(d.streaming!, values).state;
}

async function scoreStreaming(
  s: Stream,
  userId: number,
  input: ReturnType<typeof scoreInput.parse>,
): Promise<ScoredPoint[]> {
  const state = await streamingStateBefore(s, input.points[0].ts);
  const run = runStream(
    s.detector.streaming!,
    input.points.map((p) => streamValue(p.value)),
    state,
  );
  const specs = s.asset.covariates ?? [];
  const out: ScoredPoint[] = input.points.map((p, i) => ({
    ts: p.ts,
    value: p.value,
    q10: null,
    q50: null,
    q90: null,
    score: run.scores[i],
    flag: run.alerts[i],
  }));
  await storePoints(
    s.detector.id,
    userId,
    out,
    out.map((_o, i) => (specs.length ? specs.map((c) => input.points[i].covariates?.[c.name] ?? null) : null)),
  );
  const lastTs = input.points[input.points.length - 1].ts;
  await DetectorRow.query()
    .findById(s.detector.id)
    .patch({ streamState: run.state, streamTs: new Date(lastTs) });
  s.state = run.state;
  s.stateTs = lastTs;
  return out;
}

async function scoreInStream(
  s: Stream,
  userId: number,
  input: ReturnType<typeof scoreInput.parse>,
): Promise<ScoredPoint[]> {
  if (s.detector.kind === "streaming") return scoreStreaming(s, userId, input);
  s.version ??=
    (s.detector.modelVersionId ? await EnergyModelVersion.query().findById(s.detector.modelVersionId) : null) ?? null;
  if (!s.version) throw new Error("the detector's model version is gone");
  const f = await forecasterFor(s.version);
  const L = f.config.lookback;
  const firstTs = input.points[0].ts;
  if (
    !s.buffer.length ||
    s.buffer[s.buffer.length - 1].ts >= firstTs ||
    (await storedBetween(s.detector, s.buffer[s.buffer.length - 1].ts, firstTs))
  )
    s.buffer = await seedBuffer(s.detector, L, firstTs);
  const specs = s.asset.covariates ?? [];
  const fresh: RawPoint[] = input.points.map((p) => ({
    ts: p.ts,
    value: p.value,
    covariates: specs.length ? specs.map((c) => p.covariates?.[c.name] ?? null) : null,
    flags: 0,
  }));
  const all = [...s.buffer, ...fresh];
  const series = toSeries(s.asset, all);
  const from = s.buffer.length;
  const q = await oneStepForecasts(f, series, from, all.length);
  const mode = s.detector.settings.scoreMode;
  const t = { low: s.detector.lowThreshold, high: s.detector.highThreshold };
  const out: ScoredPoint[] = fresh.map((p, i) => {
    const score = residualScore(series.values[from + i], q.q10[i], q.q50[i], q.q90[i], mode);
    return {
      ts: p.ts,
      value: p.value,
      q10: fin(q.q10[i]),
      q50: fin(q.q50[i]),
      q90: fin(q.q90[i]),
      score: fin(score),
      flag: isAnomalous(score, t),
    };
  });
  await storePoints(
    s.detector.id,
    userId,
    out,
    out.map((_o, i) => fresh[i].covariates ?? null),
  );
  s.buffer = all.slice(-L);
  return out;
}

export async function scorePoints(
  userId: number,
  raw: ScoreInput,
): Promise<{ detectorId: number; points: ScoredPoint[] }> {
  const input = scoreInput.parse(raw);
  const key = `${userId}:${input.detectorId}`;
  let s = streams.get(key);
  if (!s) {
    const detector = await ownDetector(userId, input.detectorId);
    assertSameAsset(detector, input.assetId);
    const asset = await readableAsset(userId, input.assetId);
    s = { detector, version: null, asset, buffer: [], chain: Promise.resolve(), state: null, stateTs: null };
    streams.set(key, s);
  } else {
    assertSameAsset(s.detector, input.assetId);
  }
  const stream = s;
  const run = stream.chain.then(() => scoreInStream(stream, userId, input));
  stream.chain = run.catch(() => {});
  return { detectorId: input.detectorId, points: await run };
}

function toScored(r: {
  ts: Date;
  value: number | null;
  q10: number | null;
  q50: number | null;
  q90: number | null;
  score: number | null;
  flag: number | boolean;
}): ScoredPoint {
  return { ts: r.ts.getTime(), value: r.value, q10: r.q10, q50: r.q50, q90: r.q90, score: r.score, flag: !!r.flag };
}

/** The most recent posted points of a detector (ascending). */
export async function recentPoints(userId: number, detectorId: number, limit: number) {
  const d = await ownDetector(userId, detectorId);
  const rows = await db()("anomalyStreamPoints")
    .where({ detectorId: d.id, userId })
    .orderBy("ts", "desc")
    .limit(limit)
    .select("ts", "value", "q10", "q50", "q90", "score", "flag");
  return { detector: d.toPublic(), points: rows.reverse().map(toScored) };
}

/** Points posted after `afterTs` (ascending), for the live subscription. */
export async function pointsAfter(
  userId: number,
  detectorId: number,
  afterTs: number,
  limit = 500,
): Promise<ScoredPoint[]> {
  const rows = await db()("anomalyStreamPoints")
    .where({ detectorId, userId })
    .where("ts", ">", new Date(afterTs))
    .orderBy("ts")
    .limit(limit)
    .select("ts", "value", "q10", "q50", "q90", "score", "flag");
  return rows.map(toScored);
}
