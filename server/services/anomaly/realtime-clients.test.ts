/**
 * #27 row 8: real-time scoring with a non-GBDT model (a small TiDE net) and with two clients on
 * one detector. Client A posts to this process (an API-key tRPC caller); client B posts the
 * following batches to a second web process (REST /api/v1/anomaly/score with the same user's
 * key), as two scripts behind two web replicas would. Every point, whoever posted it, must get
 * the forecast, score and flag batch detection gives it on the same series, and the detector's
 * stream holds each point once.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../../db/db.js";
import * as queue from "../../../jobs/queue.js";
import { prefixOwnJobs } from "../../../jobs/testing.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createSyntheticAsset, SPIKES, trainReadyVersion } from "../../testing/anomaly-fixtures.js";
import { loadSeries } from "../energy/series.js";
import { runDetection, type DetectedPoints } from "./detections.js";
import type { ScoredPoint } from "./realtime.js";

const FROM = 600,
  TO = 1000;
let user: TestUser;
let assetId: number;
let detectorId: number;
let ts: Float64Array;
let values: Float32Array;
let batch: DetectedPoints;
let other: { proc: ChildProcess; url: string };

/** A second web process on this database and store (its own caches), listening on a free port. */
async function startOtherWebProcess(): Promise<{ proc: ChildProcess; url: string }> {
  const script = [
    'const { startTestServer } = await import("./server/testing/server.ts");',
    "const s = await startTestServer({ withRemix: false });",
    "console.log(`listening ${s.port}`);",
  ].join("\n");
  const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    env: process.env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`web process not listening after 45 s:\n${out}`)), 45_000);
    proc.stdout!.on("data", (b: Buffer) => {
      out += b.toString();
      const m = out.match(/listening (\d+)/);
      if (m) (clearTimeout(timer), resolve(Number(m[1])));
    });
    proc.stderr!.on("data", (b: Buffer) => (out += b.toString()));
    proc.on("exit", (code) => (clearTimeout(timer), reject(new Error(`web process exited (${code}):\n${out}`))));
  });
  return { proc, url: `http://127.0.0.1:${port}` };
}

beforeAll(async () => {
  prefixOwnJobs("anomaly-rt-clients");
  const [u, web] = await Promise.all([createTestUser("anomaly-rt-clients"), startOtherWebProcess()]);
  user = u;
  other = web;
  assetId = await createSyntheticAsset(user);
  const v = await trainReadyVersion(user.id, assetId, { kind: "tide", epochs: 3 });
  expect(v.kind).toBe("tide");
  const s = await loadSeries({ assetId, userId: user.id });
  ts = s.timestamps;
  values = s.values;
  detectorId = (
    await user.caller.anomaly.fit({ modelVersionId: v.id, highQuantile: 0.99, fitTo: ts[FROM], mergeGap: 2 })
  ).id;
  // The reference: batch detection over the same points, run here (its job is then cancelled).
  const det = await user.caller.anomaly.detect({ source: "range", detectorId, from: ts[FROM] });
  await runDetection(det.id, async () => {});
  await queue.cancel(det.jobId!, { userId: user.id });
  batch = JSON.parse(
    (await artifacts().get(artifactKey(user.id, "detections", det.id, "points.json"))).toString(),
  ) as DetectedPoints;
  expect(batch.ts).toHaveLength(TO - FROM);
}, 90_000);

afterAll(async () => {
  other?.proc.kill("SIGKILL");
  await closeDb();
});

const pointsOf = (from: number, n: number) =>
  Array.from({ length: n }, (_, k) => ({ ts: ts[from + k], value: values[from + k] }));

/** Client B: the REST API of the other web process, with the user's API key. */
async function postToOther(from: number, n: number): Promise<ScoredPoint[]> {
  const res = await fetch(`${other.url}/api/v1/anomaly/score`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${user.apiKey}` },
    body: JSON.stringify({ assetId, detectorId, points: pointsOf(from, n) }),
  });
  const text = await res.text();
  expect(res.status, text).toBe(200);
  return (JSON.parse(text) as { points: ScoredPoint[] }).points;
}

describe("real-time scoring with a TiDE model and two clients on one detector", () => {
  it("every point gets batch detection's forecast, score and flag, whichever process scored it", async () => {
    const got: ScoredPoint[] = [];
    let turn = 0;
    for (let i = FROM; i < TO; turn++) {
      const n = Math.min(9 + (turn % 4), TO - i);
      const pts =
        turn % 2 === 0
          ? (await user.keyCaller.anomaly.score({ assetId, detectorId, points: pointsOf(i, n) })).points
          : await postToOther(i, n);
      got.push(...pts);
      i += n;
    }
    expect(got.map((p) => p.ts)).toEqual(Array.from(batch.ts));
    got.forEach((p, k) => {
      const where = `point ${FROM + k}`;
      expect(p.q50, where).toBeCloseTo(batch.q50[k]!, 4);
      expect(p.q90, where).toBeCloseTo(batch.q90[k]!, 4);
      expect(p.score, where).toBeCloseTo(batch.score[k]!, 4);
    });
    expect(got.map((p) => (p.flag ? 1 : 0))).toEqual(batch.flag);
    // Not a vacuous match: the small net flags spikes in real time as it does in batch.
    expect(SPIKES.filter((s) => got[s - FROM].flag).length, "spikes flagged").toBeGreaterThan(0);
    const stored = await user.caller.anomaly.stream({ detectorId, limit: 5000 });
    expect(stored.points.map((p) => p.ts)).toEqual(Array.from(batch.ts));
  }, 60_000);
});
