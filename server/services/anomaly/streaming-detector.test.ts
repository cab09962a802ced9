/**
 * Streaming detectors in the product: fitted on an asset with the defaults, batch detection of
 * a file continuing the asset and real-time scoring of the same points (in uneven posts, across
 * a cache loss, and a replay) give the same scores and alerts; the spikes alert once each.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../../db/db.js";
import * as queue from "../../../jobs/queue.js";
import { prefixOwnJobs } from "../../../jobs/testing.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { runDetection, type DetectedPoints } from "./detections.js";
import { forgetStreams } from "./realtime.js";
import { syntheticCsv } from "../../testing/anomaly-fixtures.js";
import { DEFAULT_STREAMING } from "./streaming.js";

const mapping = { timestampColumn: "time", targetColumn: "kwh", covariates: [] };
const b64 = (lines: string[]) => Buffer.from(["time,kwh", ...lines].join("\n") + "\n").toString("base64");

let a: TestUser;
let assetId: number;
let detectorId: number;
let later: { ts: number; value: number }[];
let laterLines: string[];
beforeAll(async () => {
  prefixOwnJobs("anomaly-stream");
  a = await createTestUser("anomaly-stream");
  // Points 0–599 are the stored asset; 600–999 (spikes at 700, 701 and 850) arrive later.
  const lines = syntheticCsv(1000).trim().split("\n").slice(1);
  const r = await a.caller.energy.uploads.commit({
    fileName: "s.csv",
    contentBase64: b64(lines.slice(0, 600)),
    mapping,
    newAssetName: `stream-${Math.random().toString(36).slice(2, 10)}`,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  assetId = r.assetId;
  laterLines = lines.slice(600);
  later = laterLines.map((l) => ({
    ts: Date.parse(l.split(",")[0].replace(" ", "T") + ":00Z"),
    value: Number(l.split(",")[1]),
  }));
  detectorId = (await a.caller.anomaly.fitStreaming({ assetId })).id;
}, 120_000);
afterAll(async () => {
  await closeDb();
});

describe("streaming detector (product)", () => {
  it("is fitted with the defaults: probation 15 % of the asset, the bench's threshold", async () => {
    const d = await a.caller.anomaly.detector({ id: detectorId });
    expect(d.kind).toBe("streaming");
    expect(d.modelVersionId).toBeNull();
    expect(d.streaming).toMatchObject({ probation: 90, threshold: DEFAULT_STREAMING.threshold, stepSeconds: 900 });
    expect(d.fittedRange.points).toBe(90);
    // A picked range: the stream starts there and learns on exactly those points.
    const first = Date.parse("2024-01-01T00:00:00Z");
    const picked = await a.caller.anomaly.fitStreaming({
      assetId,
      probationFrom: first + 100 * 900_000,
      probationTo: first + 299 * 900_000,
    });
    expect(picked.streaming).toMatchObject({
      probation: 200,
      startTs: first + 100 * 900_000,
      probationEndTs: first + 299 * 900_000,
    });
    await expect(
      a.caller.anomaly.fitStreaming({ assetId, probationFrom: later[0].ts - 5 * 900_000, probationTo: later[0].ts }),
    ).rejects.toMatchObject({ code: "BAD_REQUEST", message: expect.stringMatching(/probation range holds 5 points/) });
  });

  it("is causal in batch too: a range ending earlier gets the same scores and alerts for its points", async () => {
    const run = async (to?: number) => {
      const det = await a.caller.anomaly.detect({ source: "range", detectorId, to });
      await runDetection(det.id, async () => {});
      await queue.cancel(det.jobId!, { userId: a.id });
      return JSON.parse(
        (await artifacts().get(artifactKey(a.id, "detections", det.id, "points.json"))).toString(),
      ) as DetectedPoints;
    };
    const full = await run();
    const early = await run(full.ts[349]);
    expect(full.ts).toHaveLength(600);
    expect(early.ts).toEqual(full.ts.slice(0, 350));
    expect(early.score).toEqual(full.score.slice(0, 350));
    expect(early.flag).toEqual(full.flag.slice(0, 350));
  });

  it("gives the same alerts in batch (a file) and in real time (uneven posts, a restart, a replay)", async () => {
    const det = await a.caller.anomaly.detect({
      source: "upload",
      detectorId,
      fileName: "later.csv",
      contentBase64: b64(laterLines),
      mapping,
    });
    await runDetection(det.id, async () => {});
    await queue.cancel(det.jobId!, { userId: a.id });
    const batch = JSON.parse(
      (await artifacts().get(artifactKey(a.id, "detections", det.id, "points.json"))).toString(),
    ) as DetectedPoints;
    expect(batch.ts).toHaveLength(400);
    const alerts = batch.flag.flatMap((f, i) => (f ? [600 + i] : []));
    // The 700/701 pair alerts once, and not again a day (96 points) later.
    expect(alerts.filter((i) => i >= 700 && i <= 702)).toHaveLength(1);
    expect(alerts.filter((i) => i >= 795 && i <= 799)).toEqual([]);
    const got = await a.caller.anomaly.detection({ id: det.id });
    expect(got.events!.map((e) => e.peakTs)).toEqual(alerts.map((i) => later[i - 600].ts));

    const rt: { score: number | null; flag: boolean }[] = [];
    for (let i = 0; i < 400;) {
      const n = Math.min(5 + (i % 7), 400 - i);
      if (i >= 200 && i < 212) forgetStreams(detectorId); // a "restart": the state comes back from the detector row
      const r = await a.keyCaller.anomaly.score({ assetId, detectorId, points: later.slice(i, i + n) });
      rt.push(...r.points);
      i += n;
    }
    expect(rt.map((p) => (p.flag ? 1 : 0))).toEqual(batch.flag);
    expect(rt.map((p) => p.score)).toEqual(batch.score);

    // A replay of earlier points rebuilds the state from stored and posted points: same answers.
    const again = await a.keyCaller.anomaly.score({ assetId, detectorId, points: later.slice(100, 103) });
    expect(again.points.map((p) => p.score)).toEqual(batch.score.slice(100, 103));
    expect(again.points.map((p) => (p.flag ? 1 : 0))).toEqual(batch.flag.slice(100, 103));
  }, 120_000);
});
