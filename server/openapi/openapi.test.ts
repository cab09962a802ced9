/**
 * The REST API (/api/v1) against a live server: the OpenAPI document validates
 * (@apidevtools/swagger-parser), and every operation of the document is asked three ways:
 *   1. without a key: 401 (a JSON body of {} where there is a body: authentication comes first);
 *   2. with another user's key, for every operation whose path names an id (and those whose body
 *      names the owner's rows): 404 (403 accepted), and the owner's row is still there after;
 *   3. with the owner's key and a minimal valid request (below, one per operation): 200.
 * Each status must be one the document lists for that operation. The test fails when the
 * document has an operation this file does not ask (or asks one it does not have).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import SwaggerParser from "@apidevtools/swagger-parser";
import { Ajv } from "ajv";
import ExcelJS from "exceljs";
import { startTestServer } from "../testing/server.js";
import { createTestUser, type TestUser } from "../testing/users.js";
import { finishedTestJobFor } from "../testing/battery-fixtures.js";
import { createSyntheticAsset, syntheticCsv, trainReadyVersion } from "../testing/anomaly-fixtures.js";
import { loadSeries } from "../services/energy/series.js";
import { runDetection } from "../services/anomaly/detections.js";
import * as queue from "../../jobs/queue.js";
import { closeDb, db } from "../../db/db.js";
import { testPrefix } from "../../jobs/testing.js";
import { LAB_OPERATIONS } from "../testing/rest.js";

type Method = "get" | "post" | "patch" | "delete";
interface Ask {
  /** Values of the path's {parameters}. */
  params: Record<string, number | string>;
  query?: Record<string, string | string[]>;
  body?: unknown;
  /** Checks the owner's 200 answer. */
  check?: (body: any, res: Response) => Promise<void> | void;
}

let server: Awaited<ReturnType<typeof startTestServer>>;
let owner: TestUser;
let other: TestUser;
let doc: any;
let park: ReturnType<typeof setInterval>;
const b64 = (s: string | Buffer) => Buffer.from(s).toString("base64");
const cellsCsv = "cell_id,cycle,temp,pcl\nA,1,30,0.10\nA,2,31,0.11\nA,3,30,0.12\nB,1,29,0.09\nB,2,30,0.10\n";

/** The owner's rows (ids) the requests below use; filled in beforeAll and by earlier requests. */
const ids: Record<string, number> = {};
/** The owner's uploaded cells' ids (query values). */
let cellIdsOf: string[] = [];
let ts: Float64Array;

async function call(method: Method, pathTemplate: string, ask: Pick<Ask, "params" | "query" | "body">, key?: string) {
  const p = pathTemplate.replace(/\{(\w+)\}/g, (_m, n: string) => String(ask.params[n]));
  const pairs = Object.entries(ask.query ?? {}).flatMap(([k, v]) =>
    Array.isArray(v) ? v.map((x) => [k, x]) : [[k, v]],
  );
  const qs = pairs.length ? `?${new URLSearchParams(pairs)}` : "";
  const headers: Record<string, string> = {};
  if (key) headers.authorization = `Bearer ${key}`;
  let body: string | undefined;
  if (method !== "get") {
    headers["content-type"] = "application/json";
    body = JSON.stringify(ask.body ?? {});
  }
  return fetch(`${server.url}/api/v1${p}${qs}`, { method: method.toUpperCase(), headers, body });
}

/**
 * One minimal valid request per operation, in the order the owner sends them (creations before
 * the requests that use what they created; deletions last, dependents first).
 */
function asks(): [string, () => Ask][] {
  const name = (tag: string) => `oa-${tag}-${Date.now()}-${Math.random().toString(36).slice(2, 6)}`;
  return [
    [
      "get /battery/datasets",
      () => ({ params: {}, check: (b) => expect(b.some((d: any) => d.id === ids.dataset)).toBe(true) }),
    ],
    [
      "post /battery/uploads",
      () => ({
        params: {},
        body: { fileName: "cells.csv", contentBase64: b64(cellsCsv) },
        check: (b) => {
          expect(b.ok).toBe(true);
          ids.uploadToDelete = b.uploadId;
        },
      }),
    ],
    ["get /battery/uploads", () => ({ params: {}, check: (b) => expect(b.length).toBeGreaterThanOrEqual(2) })],
    [
      "get /battery/datasets/{datasetId}",
      () => ({ params: { datasetId: ids.dataset }, check: (b) => expect(b.id).toBe(ids.dataset) }),
    ],
    [
      "get /battery/datasets/{datasetId}/cells",
      () => ({
        params: { datasetId: ids.dataset },
        check: (b) => expect(JSON.stringify(b)).toContain('"cellKey":"A"'),
      }),
    ],
    [
      "get /battery/datasets/{datasetId}/presets",
      () => ({ params: { datasetId: ids.dataset }, check: (b) => expect(b[0].key).toBe("all") }),
    ],
    [
      "get /battery/datasets/{datasetId}/analysis",
      () => ({
        params: { datasetId: ids.dataset },
        query: { cellIds: cellIdsOf, bins: "5" },
        check: (b) => expect(JSON.stringify(b)).toContain("temp"),
      }),
    ],
    [
      "get /battery/datasets/{datasetId}/trends",
      () => ({
        params: { datasetId: ids.dataset },
        query: { cellIds: cellIdsOf, variable: "temp" },
        check: (b) => expect(JSON.stringify(b)).toContain("temp"),
      }),
    ],
    [
      "get /battery/datasets/{datasetId}/scatter",
      () => ({
        params: { datasetId: ids.dataset },
        query: { cellIds: [cellIdsOf[0]], feature: "temp", target: "pcl" },
        check: (b) => expect(JSON.stringify(b).length).toBeGreaterThan(20),
      }),
    ],
    [
      "post /training/tasks",
      () => ({
        params: {},
        body: {
          name: name("task"),
          datasetId: ids.builtinDataset,
          split: "case_a",
          target: "pcl",
          features: ["kong_slope", "kong_intercept", "tavg_c"],
          algorithms: ["baseline"],
          epochs: 1,
          hiddenWidth: 8,
        },
        check: (b) => {
          ids.newTask = b.id;
          ids.newTaskJob = b.runs[0].jobId;
        },
      }),
    ],
    [
      "get /training/tasks",
      () => ({ params: {}, check: (b) => expect(b.map((t: any) => t.id)).toContain(ids.newTask) }),
    ],
    [
      "get /training/tasks/{id}",
      () => ({ params: { id: ids.task }, check: (b) => expect(b.status).toBe("SUCCEEDED") }),
    ],
    ["get /jobs", () => ({ params: {}, query: { limit: "5" }, check: (b) => expect(b.length).toBeGreaterThan(0) })],
    ["get /jobs/{id}", () => ({ params: { id: ids.job }, check: (b) => expect(b.id).toBe(ids.job) })],
    [
      "post /jobs/{id}/cancel",
      () => ({
        params: { id: ids.newTaskJob },
        check: async (b) => (
          expect(b.status).toBe("CANCELED"),
          expect((await owner.caller.jobs.get({ id: ids.newTaskJob })).status).toBe("CANCELED")
        ),
      }),
    ],
    [
      "post /training/tasks/{id}/cancel",
      () => ({ params: { id: ids.newTask }, check: (b) => expect(b.task.status).toBe("CANCELED") }),
    ],
    ["get /models", () => ({ params: {}, check: (b) => expect(b.map((v: any) => v.id)).toContain(ids.version) })],
    ["get /models/{id}", () => ({ params: { id: ids.version }, check: (b) => expect(b.id).toBe(ids.version) })],
    [
      "patch /models/{id}",
      () => ({
        params: { id: ids.version },
        body: { name: "renamed over REST" },
        check: async () => expect((await owner.caller.models.get({ id: ids.version })).name).toBe("renamed over REST"),
      }),
    ],
    [
      "get /models/{id}/onnx",
      () => ({ params: { id: ids.version }, check: (b) => expect(JSON.stringify(b).length).toBeGreaterThan(100) }),
    ],
    [
      "post /test-jobs",
      () => ({
        params: {},
        body: { versionId: ids.version, datasetId: ids.builtinDataset, cellKeys: ["124"], targets: ["pcl"] },
        check: (b) => {
          ids.newTestJob = b.id;
        },
      }),
    ],
    [
      "post /test-jobs/{id}/cancel",
      () => ({
        params: { id: ids.newTestJob },
        check: async (b) => (
          expect(b.cancelled).toBe(true),
          expect((await owner.caller.testJobs.get({ id: ids.newTestJob })).status).toBe("CANCELED")
        ),
      }),
    ],
    ["get /test-jobs", () => ({ params: {}, check: (b) => expect(b.map((t: any) => t.id)).toContain(ids.testJob) })],
    ["get /test-jobs/{id}", () => ({ params: { id: ids.testJob }, check: (b) => expect(b.status).toBe("SUCCEEDED") })],
    [
      "get /test-jobs/{id}/cells/{cellKey}",
      () => ({ params: { id: ids.testJob, cellKey: "124" }, check: (b) => expect(JSON.stringify(b)).toContain("124") }),
    ],
    [
      "get /test-jobs/{id}/residuals",
      () => ({
        params: { id: ids.testJob },
        query: { target: "pcl" },
        check: (b) => expect(JSON.stringify(b).length).toBeGreaterThan(50),
      }),
    ],
    [
      "get /test-jobs/{id}/result.csv",
      () => ({
        params: { id: ids.testJob },
        check: (_b, res) => expect(res.headers.get("content-type")).toMatch(/^text\/csv/),
      }),
    ],
    [
      "get /test-jobs/{id}/result.xlsx",
      () => ({
        params: { id: ids.testJob },
        check: async (b: Buffer) => {
          const wb = new ExcelJS.Workbook();
          await wb.xlsx.load(b as unknown as ArrayBuffer);
          expect(wb.worksheets.length).toBeGreaterThan(0);
        },
      }),
    ],
    ["get /energy/assets", () => ({ params: {}, check: (b) => expect(b.map((a: any) => a.id)).toContain(ids.asset) })],
    [
      "post /energy/assets",
      () => ({
        params: {},
        body: { name: name("asset") },
        check: (b) => {
          ids.assetToDelete = b.id;
        },
      }),
    ],
    [
      "get /energy/assets/{id}",
      () => ({
        params: { id: ids.asset },
        check: (b) => expect([b.asset.id, b.stats.points]).toEqual([ids.asset, 1000]),
      }),
    ],
    [
      "patch /energy/assets/{id}",
      () => ({
        params: { id: ids.assetToDelete },
        body: { name: name("renamed") },
        check: async (b) =>
          expect((await owner.caller.energy.assets.get({ id: ids.assetToDelete })).asset.name).toBe(b.name),
      }),
    ],
    [
      "get /energy/assets/{id}/series",
      () => ({
        params: { id: ids.asset },
        query: { range: "all", maxPoints: "100" },
        check: (b) => expect(b.totalPoints).toBe(1000),
      }),
    ],
    [
      "get /energy/assets/{id}/baseline",
      () => ({
        params: { id: ids.asset },
        query: { lookback: "96", horizon: "4" },
        check: (b) => expect(JSON.stringify(b).length).toBeGreaterThan(20),
      }),
    ],
    [
      "get /energy/assets/{assetId}/model-comparison",
      () => ({
        params: { assetId: ids.asset },
        check: (b) => expect(JSON.stringify(b)).toContain(String(ids.energyVersion)),
      }),
    ],
    [
      "post /energy/uploads/inspect",
      () => ({
        params: {},
        body: { fileName: "s.csv", contentBase64: b64(syntheticCsv(50)) },
        check: (b) => expect(JSON.stringify(b)).toContain("kwh"),
      }),
    ],
    [
      "post /energy/uploads",
      () => ({
        params: {},
        body: {
          fileName: "s.csv",
          contentBase64: b64(syntheticCsv(200)),
          mapping: { timestampColumn: "time", targetColumn: "kwh" },
          newAssetName: name("upload"),
        },
        check: (b) => {
          expect(b.ok).toBe(true);
          ids.uploadedAsset = b.assetId;
        },
      }),
    ],
    ["get /energy/uploads", () => ({ params: {}, check: (b) => expect(b.length).toBeGreaterThan(0) })],
    [
      "post /energy/models",
      () => ({
        params: {},
        body: { assetId: ids.uploadedAsset, kind: "gbdt", lookback: 16, horizon: 4, epochs: 5, learningRate: 0.3 },
        check: async (b) => {
          ids.energyToDelete = b.id;
          await queue.cancel(b.jobId, { userId: owner.id });
        },
      }),
    ],
    [
      "get /energy/models",
      () => ({ params: {}, check: (b) => expect(b.map((v: any) => v.id)).toContain(ids.energyVersion) }),
    ],
    [
      "get /energy/models/{id}",
      () => ({ params: { id: ids.energyVersion }, check: (b) => expect(b.status).toBe("SUCCEEDED") }),
    ],
    [
      "get /energy/models/{id}/forecast",
      () => ({ params: { id: ids.energyVersion }, check: (b) => expect(JSON.stringify(b)).toContain("q50") }),
    ],
    [
      "get /energy/models/{id}/forecast-csv",
      () => ({ params: { id: ids.energyVersion }, check: (b) => expect(b.csv.split("\n").length).toBeGreaterThan(4) }),
    ],
    [
      "post /anomaly/detectors",
      () => ({
        params: {},
        body: { modelVersionId: ids.energyVersion, highQuantile: 0.95, fitTo: ts[600] },
        check: (b) => {
          ids.detectorToDelete = b.id;
        },
      }),
    ],
    [
      "get /anomaly/detectors",
      () => ({ params: {}, check: (b) => expect(b.map((d: any) => d.id)).toContain(ids.detector) }),
    ],
    [
      "get /anomaly/detectors/{id}",
      () => ({ params: { id: ids.detector }, check: (b) => expect(b.id).toBe(ids.detector) }),
    ],
    [
      "post /anomaly/detectors/{detectorId}/detections",
      () => ({
        params: { detectorId: ids.detectorToDelete },
        body: { from: ts[900] },
        check: async (b) => {
          ids.detectionToDelete = b.id;
          await queue.cancel(b.jobId, { userId: owner.id });
        },
      }),
    ],
    [
      "get /anomaly/detections",
      () => ({ params: {}, check: (b) => expect(b.map((d: any) => d.id)).toContain(ids.detection) }),
    ],
    [
      "get /anomaly/detections/{id}",
      () => ({ params: { id: ids.detection }, check: (b) => expect(b.status).toBe("SUCCEEDED") }),
    ],
    [
      "get /anomaly/detections/{id}/csv",
      () => ({
        params: { id: ids.detection },
        query: { what: "points" },
        check: (b) => expect(b.csv.split("\n").length).toBeGreaterThan(100),
      }),
    ],
    [
      "post /anomaly/score",
      () => ({
        params: {},
        body: { assetId: ids.asset, detectorId: ids.detector, points: [{ ts: ts[999] + 900_000, value: 50 }] },
        check: (b) => expect(b.points).toHaveLength(1),
      }),
    ],
    [
      "get /anomaly/detectors/{detectorId}/points",
      () => ({
        params: { detectorId: ids.detector },
        check: (b) => expect(JSON.stringify(b)).toContain(String(ts[999] + 900_000)),
      }),
    ],
    // Deletions, dependents first.
    [
      "delete /anomaly/detections/{id}",
      () => ({
        params: { id: ids.detectionToDelete },
        check: () =>
          expect(owner.caller.anomaly.detection({ id: ids.detectionToDelete })).rejects.toMatchObject({
            code: "NOT_FOUND",
          }),
      }),
    ],
    [
      "delete /anomaly/detectors/{id}",
      () => ({
        params: { id: ids.detectorToDelete },
        check: () =>
          expect(owner.caller.anomaly.detector({ id: ids.detectorToDelete })).rejects.toMatchObject({
            code: "NOT_FOUND",
          }),
      }),
    ],
    [
      "delete /energy/models/{id}",
      () => ({
        params: { id: ids.energyToDelete },
        check: () =>
          expect(owner.caller.energyModels.get({ id: ids.energyToDelete })).rejects.toMatchObject({
            code: "NOT_FOUND",
          }),
      }),
    ],
    [
      "delete /energy/assets/{id}",
      () => ({
        params: { id: ids.assetToDelete },
        check: () =>
          expect(owner.caller.energy.assets.get({ id: ids.assetToDelete })).rejects.toMatchObject({
            code: "NOT_FOUND",
          }),
      }),
    ],
    [
      "delete /test-jobs/{id}",
      () => ({
        params: { id: ids.newTestJob },
        check: () =>
          expect(owner.caller.testJobs.get({ id: ids.newTestJob })).rejects.toMatchObject({ code: "NOT_FOUND" }),
      }),
    ],
    ["delete /models/{id}", () => ({ params: { id: ids.versionToDelete } })],
    [
      "delete /battery/uploads/{id}",
      () => ({
        params: { id: ids.uploadToDelete },
        check: async () =>
          expect((await owner.caller.battery.listUploads()).map((u) => u.id)).not.toContain(ids.uploadToDelete),
      }),
    ],
    ["delete /battery/datasets/{datasetId}", () => ({ params: { datasetId: ids.dataset } })],
  ];
}

/** Operations whose body names the owner's rows: another user gets 404 for them too. */
const FOREIGN_BODIES: Record<string, () => unknown> = {
  "post /test-jobs": () => ({
    versionId: ids.version,
    datasetId: ids.builtinDataset,
    cellKeys: ["124"],
    targets: ["pcl"],
  }),
  "post /energy/models": () => ({
    assetId: ids.asset,
    kind: "gbdt",
    lookback: 16,
    horizon: 4,
    epochs: 5,
    learningRate: 0.3,
  }),
  "post /anomaly/detectors": () => ({ modelVersionId: ids.energyVersion, highQuantile: 0.95 }),
  "post /anomaly/score": () => ({ assetId: ids.asset, detectorId: ids.detector, points: [{ ts: 1, value: 1 }] }),
};

function operations(): string[] {
  return Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) =>
    Object.keys(item)
      .filter((m) => ["get", "post", "put", "patch", "delete"].includes(m))
      .map((m) => `${m} ${p}`),
  );
}
/** The operations this file asks: all but those lab-operations.test.ts asks (200 and 404) with its own jobs. */
const askedHere = () => operations().filter((op) => !(LAB_OPERATIONS as readonly string[]).includes(op));
const documented = (op: string) => {
  const [m, p] = op.split(" ");
  return Object.keys(doc.paths[p][m].responses).map(Number);
};

beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  [owner, other] = [await createTestUser("oa-owner"), await createTestUser("oa-other")];
  const tj = await finishedTestJobFor(owner.id);
  Object.assign(ids, { version: tj.versionId, testJob: tj.testJobId, builtinDataset: tj.datasetId });
  const version = await owner.caller.models.get({ id: tj.versionId });
  ids.task = (version as any).taskId;
  ids.job = (await owner.caller.training.get({ id: ids.task })).runs[0].jobId!;
  // A second version (deleted last), two battery uploads (one deleted as an upload, one as a dataset).
  const up = await owner.caller.battery.upload({ fileName: "mine.csv", contentBase64: b64(cellsCsv) });
  if (!up.ok) throw new Error(JSON.stringify(up.problems));
  ids.dataset = up.datasetId;
  ids.upload = up.uploadId;
  cellIdsOf = (await owner.caller.battery.listCells({ datasetId: up.datasetId })).cells.map((c) => String(c.id));
  ids.asset = await createSyntheticAsset(owner);
  ids.energyVersion = (await trainReadyVersion(owner.id, ids.asset)).id;
  ts = (await loadSeries({ assetId: ids.asset, userId: owner.id })).timestamps;
  ids.detector = (
    await owner.caller.anomaly.fit({
      modelVersionId: ids.energyVersion,
      highQuantile: 0.99,
      fitTo: ts[600],
      mergeGap: 2,
    })
  ).id;
  // Jobs the owner's POSTs queue (training, test, energy, detection) are parked under a name no
  // worker serves until the test cancels them: no other test file's worker runs them meanwhile.
  const parked = testPrefix("oa-parked");
  park = setInterval(() => {
    db()("jobs")
      .where({ userId: owner.id, state: "created" })
      .whereNot("name", "like", "t-%")
      .update({ name: db().raw("CONCAT(?, name)", [parked]) })
      .catch(() => {});
  }, 50);
  const det = await owner.caller.anomaly.detect({ source: "range", detectorId: ids.detector, from: ts[900] });
  // Its queued job is parked (never cancelled: a cancelled job would end the detection CANCELED); it runs here.
  await db()("jobs")
    .where({ id: det.jobId! })
    .update({ name: db().raw("CONCAT(?, name)", [parked]) });
  // Claimed and run here as a worker would: the detection's SUCCEEDED commits with its job's completion.
  const { name: parkedName } = await db()("jobs").where({ id: det.jobId! }).first("name");
  const [claimed] = await queue.fetch([parkedName], 1, `${parked}worker`);
  await runDetection(det.id, async () => {}, undefined, { id: claimed.id, workerId: `${parked}worker` });
  ids.detection = det.id;
  ids.versionToDelete = ids.version;
  const res = await fetch(`${server.url}/api/v1/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
}, 180_000);
afterAll(async () => {
  clearInterval(park);
  await server?.close();
  await closeDb();
});

describe("REST API /api/v1", () => {
  it("serves a valid OpenAPI document and Swagger UI from the installed package", async () => {
    await SwaggerParser.validate(structuredClone(doc));
    expect(doc.servers[0].url).toBe("/api/v1");
    expect(operations().length).toBeGreaterThanOrEqual(45);
    const html = await (await fetch(`${server.url}/docs`)).text();
    expect(html).toContain("/docs/assets/swagger-ui-bundle.js");
    const bundle = await fetch(`${server.url}/docs/assets/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
  });

  it("asks every operation of the document (and no other)", () => {
    expect(
      asks()
        .map(([op]) => op)
        .sort(),
    ).toEqual(askedHere().sort());
    expect(operations()).toEqual(expect.arrayContaining([...LAB_OPERATIONS]));
  });

  it("answers 401 to every operation without a key, before validating the input", async () => {
    const failures: string[] = [];
    for (const op of operations()) {
      const [m, p] = op.split(" ") as [Method, string];
      const res = await call(m, p, { params: Object.fromEntries([...p.matchAll(/\{(\w+)\}/g)].map((x) => [x[1], 1])) });
      if (res.status !== 401 || !documented(op).includes(401)) failures.push(`${op}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it("answers 404 (or 403) to another user's key for every operation naming the owner's rows, and changes nothing", async () => {
    const table = new Map(asks());
    const failures: string[] = [];
    let asked = 0;
    // Rows the owner's own requests create later stand in as rows made in beforeAll here.
    const standIns = {
      newTask: ids.task,
      newTaskJob: ids.job,
      newTestJob: ids.testJob,
      assetToDelete: ids.asset,
      uploadToDelete: ids.upload,
      energyToDelete: ids.energyVersion,
      detectorToDelete: ids.detector,
      detectionToDelete: ids.detection,
    };
    Object.assign(ids, standIns);
    for (const op of askedHere()) {
      const [m, p] = op.split(" ") as [Method, string];
      if (!p.includes("{") && !FOREIGN_BODIES[op]) continue;
      const ask = table.get(op)!();
      const res = await call(
        m,
        p,
        { params: ask.params, query: ask.query, body: FOREIGN_BODIES[op]?.() ?? ask.body },
        other.apiKey,
      );
      asked++;
      if (![403, 404].includes(res.status) || !documented(op).includes(res.status))
        failures.push(`${op}: ${res.status} ${await res.text()}`);
    }
    for (const k of Object.keys(standIns)) delete ids[k];
    expect(failures).toEqual([]);
    expect(asked).toBeGreaterThanOrEqual(25);
    // Nothing of the owner's was touched.
    expect((await owner.caller.models.get({ id: ids.version })).name).not.toBe("renamed over REST");
    expect((await owner.caller.anomaly.detector({ id: ids.detector })).id).toBe(ids.detector);
    expect((await owner.caller.battery.getDataset({ datasetId: ids.dataset })).id).toBe(ids.dataset);
  });

  it("answers every operation with 200 for the owner's key and a minimal valid request, each body valid against the document", async () => {
    // The document's 200 schema of each JSON operation, compiled by ajv (OpenAPI 3.0: nullable, no unknown-format checks).
    const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
    const invalid: string[] = [];
    for (const [op, make] of asks()) {
      const [m, p] = op.split(" ") as [Method, string];
      const ask = make();
      for (const [k, v] of Object.entries(ask.params)) expect(v, `${op}: ${k}`).toBeTruthy();
      const res = await call(m, p, ask, owner.apiKey);
      const isFile = /result\.(csv|xlsx)$/.test(p);
      const body = isFile ? Buffer.from(await res.arrayBuffer()) : await res.json();
      expect(res.status, `${op}: ${JSON.stringify(isFile ? res.statusText : body).slice(0, 400)}`).toBe(200);
      expect(documented(op), op).toContain(200);
      if (!isFile) {
        const schema = doc.paths[p][m].responses["200"].content["application/json"].schema;
        const validate = ajv.compile(schema);
        if (!validate(body)) invalid.push(`${op}: ${ajv.errorsText(validate.errors)}`);
      }
      await ask.check?.(body, res);
    }
    expect(invalid).toEqual([]);
    // The README's 409: cancelling a job that has already ended.
    const again = await call("post", "/jobs/{id}/cancel", { params: { id: ids.newTaskJob } }, owner.apiKey);
    expect(again.status).toBe(409);
    expect(documented("post /jobs/{id}/cancel")).toContain(409);
    expect((await again.json()).code).toBe("CONFLICT");
    // The deletions took effect.
    await expect(owner.caller.models.get({ id: ids.versionToDelete })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(owner.caller.battery.getDataset({ datasetId: ids.dataset })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });

  it("leaves tRPC's validation as it was (the adapter's query coercion only touches the REST copies)", async () => {
    expect((await call("get", "/jobs", { params: {}, query: { limit: "2" } }, owner.apiKey)).status).toBe(200);
    await expect(owner.caller.jobs.list({ limit: "2" as unknown as number })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
    await expect(owner.caller.models.get({ id: String(ids.version) as unknown as number })).rejects.toMatchObject({
      code: "BAD_REQUEST",
    });
  });

  it("refuses the browser's session cookie alone (REST takes the Authorization header)", async () => {
    const cookie = { cookie: `voltlab_session=${owner.token}` };
    expect((await fetch(`${server.url}/api/v1/battery/datasets`, { headers: cookie })).status).toBe(401);
    expect((await fetch(`${server.url}/api/v1/test-jobs/${ids.testJob}/result.csv`, { headers: cookie })).status).toBe(
      401,
    );
    expect(
      (await fetch(`${server.url}/api/v1/battery/datasets`, { headers: { authorization: `Bearer ${owner.token}` } }))
        .status,
    ).toBe(200);
  });

  it("answers 400 with the issues for an invalid body or path id", async () => {
    const res = await call("post", "/training/tasks", { params: {}, body: {} }, owner.apiKey);
    expect(res.status).toBe(400);
    const b = await res.json();
    expect(b.code).toBe("BAD_REQUEST");
    expect(b.issues.map((i: any) => i.path[0])).toContain("name");
    const bad = await fetch(`${server.url}/api/v1/models/abc`, {
      headers: { authorization: `Bearer ${owner.apiKey}` },
    });
    expect(bad.status).toBe(400);
  });
});
