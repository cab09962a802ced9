/**
 * Real-time scoring returns the same forecasts, scores and flags as batch detection for the
 * same points, also across a cache loss (a restart rebuilds the buffer from stored points).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { closeDb } from "../../../db/db.js";
import * as queue from "../../../jobs/queue.js";
import { prefixOwnJobs } from "../../../jobs/testing.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { loadSeries } from "../energy/series.js";
import { DETECT_JOB, runDetection, type DetectedPoints } from "./detections.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { forgetStreams } from "./realtime.js";
import { createSyntheticAsset, SPIKES, trainReadyVersion } from "../../testing/anomaly-fixtures.js";

let a: TestUser;
let assetId: number;
let detectorId: number;
let ts: Float64Array;
let values: Float32Array;
let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("anomaly-rt");
  a = await createTestUser("anomaly-rt");
  assetId = await createSyntheticAsset(a);
  const v = await trainReadyVersion(a.id, assetId);
  const s = await loadSeries({ assetId, userId: a.id });
  ts = s.timestamps;
  values = s.values;
  const d = await a.caller.anomaly.fit({
    modelVersionId: v.id,
    highQuantile: 0.99,
    scoreMode: "raw",
    fitTo: ts[600],
    mergeGap: 2,
  });
  detectorId = d.id;
}, 120_000);
afterAll(async () => {
  await closeDb();
});

describe("real-time scoring", () => {
  it("fits on clean data before the spikes and flags them", async () => {
    const d = await a.caller.anomaly.detector({ id: detectorId });
    expect(d.highThreshold).toBeGreaterThan(0);
    expect(d.lowThreshold).toBeNull();
    expect(d.fittedRange.toTs).toBe(ts[600]);
    expect(d.fittedRange.points).toBe(601 - 16);
  });

  it("returns the same flags as batch detection for the same points", async () => {
    const det = await a.caller.anomaly.detect({ source: "range", detectorId, from: ts[600] });
    // The job is named with this process's JOB_NAME_PREFIX: no worker but one serving it takes the job.
    expect((await queue.getJob(det.jobId!))!.name).toBe(`${jobPrefix}${DETECT_JOB}`);
    await runDetection(det.id, async () => {});
    await queue.cancel(det.jobId!, { userId: a.id });
    const batch = JSON.parse(
      (await artifacts().get(artifactKey(a.id, "detections", det.id, "points.json"))).toString(),
    ) as DetectedPoints;
    expect(batch.ts).toHaveLength(400);
    const got = await a.caller.anomaly.detection({ id: det.id });
    // Run here without a worker, then its job was cancelled: users see the job's status.
    expect(got.status).toBe("CANCELED");
    const flaggedIdx = batch.flag.map((f, i) => (f ? 600 + i : -1)).filter((i) => i >= 0);
    for (const s of SPIKES) expect(flaggedIdx).toContain(s);
    expect(got.events!.length).toBeGreaterThanOrEqual(2);

    // Real time, by API key, in uneven batches; the first post seeds the buffer from the asset.
    const rt: { q50: number | null; score: number | null; flag: boolean }[] = [];
    for (let i = 600; i < 1000;) {
      const n = Math.min(7 + (i % 5), 1000 - i);
      if (i === 800) forgetStreams(detectorId); // a "restart": the buffer comes back from storage
      const r = await a.keyCaller.anomaly.score({
        assetId,
        detectorId,
        points: Array.from({ length: n }, (_, k) => ({ ts: ts[i + k], value: values[i + k] })),
      });
      rt.push(...r.points);
      i += n;
    }
    expect(rt.map((p) => (p.flag ? 1 : 0))).toEqual(batch.flag);
    rt.forEach((p, i) => {
      expect(p.q50).toBeCloseTo(batch.q50[i]!, 4);
      expect(p.score).toBeCloseTo(batch.score[i]!, 4);
    });

    // A replay of the same points (out of order for the buffer) reseeds and scores alike.
    const again = await a.keyCaller.anomaly.score({
      assetId,
      detectorId,
      points: [
        { ts: ts[700], value: values[700] },
        { ts: ts[701], value: values[701] },
      ],
    });
    expect(again.points.map((p) => p.flag)).toEqual([!!batch.flag[100], !!batch.flag[101]]);
    const stored = await a.caller.anomaly.stream({ detectorId, limit: 5000 });
    expect(stored.points).toHaveLength(400);
  }, 120_000);

  it("detects on an uploaded file that continues the asset (its lookback comes from the asset)", async () => {
    const lines = ["time,kwh"];
    for (let k = 0; k < 60; k++) {
      const i = 1000 + k;
      const v = 50 + 20 * Math.sin((2 * Math.PI * i) / 96) + (k === 5 ? 45 : 0);
      lines.push(
        `${new Date(ts[999] + (k + 1) * 900_000).toISOString().replace("T", " ").slice(0, 16)},${v.toFixed(3)}`,
      );
    }
    const det = await a.caller.anomaly.detect({
      source: "upload",
      detectorId,
      fileName: "next.csv",
      contentBase64: Buffer.from(lines.join("\n")).toString("base64"),
      mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
    });
    await runDetection(det.id, async () => {});
    await queue.cancel(det.jobId!, { userId: a.id });
    const got = await a.caller.anomaly.detection({ id: det.id });
    expect(got.summary).toMatchObject({ points: 60, scored: 60 });
    expect(got.points.find((p) => p.ts === ts[999] + 6 * 900_000)?.flag).toBe(true);
    const csv = await a.caller.anomaly.detectionCsv({ id: det.id, what: "events" });
    expect(csv.csv.split("\n")[0]).toBe("start,end,peak_ts,peak_score,points");
  });

  it("refuses a detector of another asset and unordered points", async () => {
    await expect(
      a.keyCaller.anomaly.score({ assetId: assetId + 1_000_000, detectorId, points: [{ ts: 1, value: 1 }] }),
    ).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(
      a.keyCaller.anomaly.score({
        assetId,
        detectorId,
        points: [
          { ts: 2, value: 1 },
          { ts: 1, value: 1 },
        ],
      }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });
});
