import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { db } from "../../db/db.js";
import { AnomalyDetector } from "../../db/models/anomaly-detector.js";
import { AnomalyDetection } from "../../db/models/anomaly-detection.js";
import { EnergyModelVersion } from "../../db/models/energy-model-version.js";
import { BUILTIN_NAB_NAME } from "../services/energy/types.js";
import { artifactKey, artifacts } from "../storage/artifacts.js";

interface Data {
  assetId: number;
  nabId: number;
  versionId: number;
  detectorId: number;
  nabDetectorId: number;
  detectionId: number;
}

const CSV = "time,kwh\n2024-01-01 00:00,1\n2024-01-01 00:15,2\n2024-01-01 00:30,3\n";
const file = { fileName: "a.csv", contentBase64: Buffer.from(CSV).toString("base64") };
const mapping = { timestampColumn: "time", targetColumn: "kwh", covariates: [] };
const settings = { lowQuantile: null, highQuantile: 0.99, scoreMode: "raw" as const, mergeGap: 3 };
const fitted = {
  fittedRange: { fromTs: 0, toTs: 1, points: 10, excludedDropout: 0, excludedLabelled: 0, unscored: 0 },
  summary: { n: 10, mean: 1, min: 0, p50: 1, p90: 2, p99: 3, p999: 3, max: 3 },
};

/** A's asset with a ready version, a detector on it, one on the built-in NAB asset, a finished detection and a posted point. */
async function setup(a: TestUser): Promise<Data> {
  const r = await a.caller.energy.uploads.commit({
    ...file,
    mapping,
    newAssetName: `a-an-${Math.random().toString(36).slice(2, 10)}`,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  const nab = await db()("energyAssets").whereNull("userId").where({ name: BUILTIN_NAB_NAME }).first();
  const version = (assetId: number) =>
    EnergyModelVersion.query().insertAndFetch({
      userId: a.id,
      assetId,
      kind: "gbdt",
      status: "SUCCEEDED",
      config: { request: {} },
      metrics: null,
      history: [],
      trainSeconds: 1,
      error: null,
      jobId: null,
    });
  const v = await version(r.assetId);
  const nv = await version(nab.id);
  const detector = (versionId: number, assetId: number) =>
    AnomalyDetector.query().insertAndFetch({
      userId: a.id,
      modelVersionId: versionId,
      assetId,
      name: "a-detector",
      settings,
      lowThreshold: null,
      highThreshold: 3,
      ...fitted,
    });
  const d = await detector(v.id, r.assetId);
  const nd = await detector(nv.id, nab.id);
  const det = await AnomalyDetection.query().insertAndFetch({
    userId: a.id,
    detectorId: d.id,
    source: "range",
    request: { mergeGap: 3 },
    status: "SUCCEEDED",
    summary: { points: 0 },
    events: [{ start: 0, end: 1, peakTs: 0, peakScore: 9, points: 2 }],
    error: null,
    jobId: null,
  });
  const pts = { ts: [0, 1], value: [1, 9], q10: [0, 0], q50: [1, 1], q90: [2, 2], score: [0, 8], flag: [0, 1] };
  await artifacts().put(artifactKey(a.id, "detections", det.id, "points.json"), JSON.stringify(pts));
  await db()("anomalyStreamPoints").insert({
    detectorId: d.id,
    ts: new Date(Date.UTC(2024, 0, 1, 1)),
    userId: a.id,
    value: 4,
    q10: 1,
    q50: 2,
    q90: 3,
    score: 2,
    flag: false,
  });
  return {
    assetId: r.assetId,
    nabId: nab.id,
    versionId: v.id,
    detectorId: d.id,
    nabDetectorId: nd.id,
    detectionId: det.id,
  };
}

async function intact(a: TestUser, d: Data) {
  const got = await a.caller.anomaly.detector({ id: d.detectorId });
  expect(got.highThreshold).toBe(3);
  expect((await a.caller.anomaly.detector({ id: d.nabDetectorId })).assetId).toBe(d.nabId);
  expect((await a.caller.anomaly.detection({ id: d.detectionId })).events).toHaveLength(1);
  expect((await a.caller.anomaly.stream({ detectorId: d.detectorId })).points).toHaveLength(1);
}

const point = { ts: Date.UTC(2024, 0, 1, 2), value: 100 };

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "anomaly.fit",
    title: "B fits a detector on A's version",
    setup,
    attack: (b, d) => b.anomaly.fit({ modelVersionId: d.versionId, highQuantile: 0.99 }),
    expect: "reject",
  },
  {
    procedure: "anomaly.fitStreaming",
    title: "B fits a streaming detector on A's asset",
    setup,
    attack: (b, d) => b.anomaly.fitStreaming({ assetId: d.assetId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.detectors",
    title: "B lists detectors (all, by A's asset, by the built-in asset): none of A's",
    ownerListsIt: true,
    setup,
    attack: async (b, d) => [
      ...(await b.anomaly.detectors({})),
      ...(await b.anomaly.detectors({ assetId: d.assetId })),
      ...(await b.anomaly.detectors({ assetId: d.nabId })),
    ],
    expect: (result, d) => {
      const ids = (result as { id: number }[]).map((x) => x.id);
      expect(ids).not.toContain(d.detectorId);
      expect(ids).not.toContain(d.nabDetectorId);
    },
  },
  {
    procedure: "anomaly.detector",
    title: "B reads A's detector",
    setup,
    attack: (b, d) => b.anomaly.detector({ id: d.nabDetectorId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.deleteDetector",
    title: "B deletes A's detector",
    setup,
    attack: (b, d) => b.anomaly.deleteDetector({ id: d.detectorId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "anomaly.detect",
    title: "B runs a detection with A's detector",
    setup,
    attack: (b, d) => b.anomaly.detect({ source: "range", detectorId: d.nabDetectorId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.detect",
    title: "B runs a detection on an uploaded file with A's detector",
    setup,
    attack: (b, d) => b.anomaly.detect({ source: "upload", detectorId: d.detectorId, ...file, mapping }),
    expect: "reject",
  },
  {
    procedure: "anomaly.detections",
    title: "B lists the detections of A's detector",
    setup,
    attack: (b, d) => b.anomaly.detections({ detectorId: d.detectorId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.detections",
    title: "B lists detections: none of A's",
    ownerListsIt: true,
    setup,
    attack: (b) => b.anomaly.detections({}),
    expect: (result, d) => expect((result as { id: number }[]).map((x) => x.id)).not.toContain(d.detectionId),
  },
  {
    procedure: "anomaly.detection",
    title: "B reads A's detection",
    setup,
    attack: (b, d) => b.anomaly.detection({ id: d.detectionId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.detectionCsv",
    title: "B exports A's detection events",
    setup,
    attack: (b, d) => b.anomaly.detectionCsv({ id: d.detectionId, what: "events" }),
    expect: "reject",
  },
  {
    procedure: "anomaly.deleteDetection",
    title: "B deletes A's detection",
    setup,
    attack: (b, d) => b.anomaly.deleteDetection({ id: d.detectionId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "anomaly.score",
    title: "B scores points on A's asset with A's detector",
    setup,
    attack: (b, d) => b.anomaly.score({ assetId: d.assetId, detectorId: d.detectorId, points: [point] }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "anomaly.score",
    title: "B scores points on the built-in NAB asset with A's detector of it",
    setup,
    attack: (b, d) => b.anomaly.score({ assetId: d.nabId, detectorId: d.nabDetectorId, points: [point] }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "anomaly.stream",
    title: "B reads the points posted to A's detector",
    setup,
    attack: (b, d) => b.anomaly.stream({ detectorId: d.detectorId }),
    expect: "reject",
  },
  {
    procedure: "anomaly.live",
    title: "B subscribes to A's detector's live points",
    setup,
    attack: (b, d) => b.anomaly.live({ detectorId: d.detectorId }),
    expect: "reject",
  },
];
