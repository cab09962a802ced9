/**
 * REST operations of early-life prediction, forecasting from a posted history and streaming
 * detectors, over real HTTP with API keys, as a script uses them: every 200 body valid against the
 * OpenAPI document, the numbers equal to what the tRPC procedure gives for the same input, bad input
 * a 400 naming the field, another user's rows 404. Jobs carry this file's prefix; its worker runs them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import ExcelJS from "exceljs";
import "../../jobs/handlers/index.js";
import { closeDb } from "../../db/db.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { prefixOwnJobs, startWorkerFor, waitFor } from "../../jobs/testing.js";
import type { Worker } from "../../jobs/worker-runtime.js";
import { EARLY_LIFE_JOB } from "../services/early-life/tasks.js";
import { DETECT_JOB } from "../services/anomaly/detections.js";
import { loadSeries } from "../services/energy/series.js";
import { createSyntheticAsset, SPIKES, syntheticCsv, trainReadyVersion } from "../testing/anomaly-fixtures.js";
import { startTestServer } from "../testing/server.js";
import { createTestUser, type TestUser } from "../testing/users.js";
import { documentChecker, LAB_OPERATIONS, restCall, type RestMethod } from "../testing/rest.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let owner: TestUser;
let other: TestUser;
let worker: Worker | undefined;
let check: ReturnType<typeof documentChecker>;
let datasetId: number;
let assetId: number;
let versionId: number;
let ts: Float64Array;
/** Starts the in-process worker (once): the first test first cancels a task that must stay queued. */
let startWorker: () => Worker;
/** Operations answered 200 with a body valid against the document (JSON) or a file. */
const asked = new Set<string>();
const b64 = (s: string) => Buffer.from(s).toString("base64");

/** The owner's request answered 200, its JSON body valid against the document's schema for `op`. */
async function ok(op: (typeof LAB_OPERATIONS)[number], path: string, body?: unknown, query?: Record<string, string>) {
  const method = op.split(" ")[0].toUpperCase() as RestMethod;
  const res = await restCall(server.url, owner.apiKey, method, path, { body, query });
  const text = await res.text();
  expect(res.status, `${op}: ${text.slice(0, 400)}`).toBe(200);
  const json = JSON.parse(text);
  expect(check(op, json)).toBeNull();
  asked.add(op);
  return json;
}

/** The answer to a request expected to fail: status and JSON body. */
async function refused(method: RestMethod, path: string, body?: unknown, key = owner.apiKey) {
  const res = await restCall(server.url, key, method, path, { body });
  return {
    status: res.status,
    body: (await res.json()) as { message?: string; error?: string; data?: any; issues?: any[] },
  };
}

beforeAll(async () => {
  const prefix = prefixOwnJobs("lab-rest");
  server = await startTestServer({ withRemix: false });
  [owner, other] = [await createTestUser("lab-rest"), await createTestUser("lab-rest-other")];
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  assetId = await createSyntheticAsset(owner, 1000);
  versionId = (await trainReadyVersion(owner.id, assetId, { lookback: 16, horizon: 4, epochs: 20 })).id;
  ts = (await loadSeries({ assetId, userId: owner.id })).timestamps;
  check = documentChecker(await (await fetch(`${server.url}/api/v1/openapi.json`)).json());
  startWorker = () => (worker ??= startWorkerFor([EARLY_LIFE_JOB, DETECT_JOB], prefix, { heartbeatMs: 500 }));
}, 180_000);
afterAll(async () => {
  await worker?.stop(1000);
  await server?.close();
  await closeDb();
});

describe("early-life prediction over REST", () => {
  it("a queued task is cancelled, and has no export (409)", async () => {
    const t = await ok("post /early-life/tasks", "/early-life/tasks", { name: "to cancel", datasetId });
    expect(t.status).toBe("PENDING");
    const c = await ok("post /early-life/tasks/{id}/cancel", `/early-life/tasks/${t.id}/cancel`, {});
    expect([c.cancelled, c.task.status]).toEqual([true, "CANCELED"]);
    const csv = await restCall(server.url, owner.apiKey, "GET", `/early-life/tasks/${t.id}/result.csv`);
    expect(csv.status).toBe(409);
    expect((await csv.json()).error).toMatch(/result/i);
  });

  it("create → SUCCEEDED → per-cell predictions, RMSE and MAPE as over tRPC; list and CSV/XLSX exports", async () => {
    startWorker();
    const name = `rest-early-${Date.now()}`;
    const created = await ok("post /early-life/tasks", "/early-life/tasks", {
      name,
      datasetId,
      featureSet: "variance",
      model: "least_squares",
    });
    expect(created.config.trainCells).toHaveLength(41);
    const done = await waitFor(
      "the early-life task",
      async () => {
        const t = await ok("get /early-life/tasks/{id}", `/early-life/tasks/${created.id}`);
        return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
      },
      90_000,
      500,
    );
    expect([done.status, done.error]).toEqual(["SUCCEEDED", null]);
    const groups = Object.fromEntries(done.result.groups.map((g: any) => [g.name, g]));
    // The plain variance model's published check: 137.9 / 195.9 cycles.
    expect(groups.primary_test.rmse).toBeCloseTo(137.9, 0);
    expect(groups.secondary_test.rmse).toBeCloseTo(195.9, 0);
    expect(groups.primary_test.cells).toHaveLength(43);
    expect(groups.primary_test.cells[0]).toEqual({
      key: expect.any(String),
      trueLife: expect.any(Number),
      predictedLife: expect.any(Number),
    });
    const viaTrpc = await owner.caller.earlyLife.get({ id: created.id });
    expect(done.result).toEqual(JSON.parse(JSON.stringify(viaTrpc.result)));

    const list = await ok("get /early-life/tasks", "/early-life/tasks");
    const row = list.find((t: any) => t.id === created.id);
    expect(row.scores).toEqual(done.result.groups.map((g: any) => ({ name: g.name, rmse: g.rmse, mape: g.mape })));

    const csv = await restCall(server.url, owner.apiKey, "GET", `/early-life/tasks/${created.id}/result.csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);
    const text = await csv.text();
    const trpcCsv = await owner.caller.earlyLife.export({ id: created.id, format: "csv" });
    expect(text).toBe(Buffer.from(trpcCsv.contentBase64, "base64").toString());
    const lines = text.trim().split("\n");
    expect(lines[0]).toBe("group,cell,true_cycle_life,predicted_cycle_life,error,abs_pct_error");
    expect(lines).toHaveLength(1 + 83);
    asked.add("get /early-life/tasks/{id}/result.csv");

    const sheets = async (query: string) => {
      const res = await restCall(
        server.url,
        owner.apiKey,
        "GET",
        `/early-life/tasks/${created.id}/result.xlsx${query}`,
      );
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load((await res.arrayBuffer()) as never);
      return wb.worksheets.map((w) => `${w.name}:${w.rowCount}`);
    };
    expect(await sheets("")).toEqual(["summary:12", "model:3", "cells:84"]);
    expect(await sheets("?locale=zh-CN")).toEqual(["汇总:12", "模型:3", "电池:84"]);
    asked.add("get /early-life/tasks/{id}/result.xlsx");

    // Another user's key: the task does not exist for them.
    for (const [m, p] of [
      ["GET", `/early-life/tasks/${created.id}`],
      ["POST", `/early-life/tasks/${created.id}/cancel`],
      ["GET", `/early-life/tasks/${created.id}/result.csv`],
      ["GET", `/early-life/tasks/${created.id}/result.xlsx`],
    ] as const) {
      const r = await restCall(server.url, other.apiKey, m, p, { body: m === "POST" ? {} : undefined });
      expect(r.status, `${m} ${p}`).toBe(404);
    }
    const theirs = await restCall(server.url, other.apiKey, "GET", "/early-life/tasks");
    expect(((await theirs.json()) as { id: number }[]).map((t) => t.id)).not.toContain(created.id);
    expect((await owner.caller.earlyLife.get({ id: created.id })).status).toBe("SUCCEEDED");
  }, 150_000);

  it("refuses bad input with a 400 naming the field", async () => {
    const unknownSet = await refused("POST", "/early-life/tasks", { name: "x", datasetId, featureSet: "bogus" });
    expect(unknownSet.status).toBe(400);
    expect(unknownSet.body.issues!.map((i) => i.path[0])).toEqual(["featureSet"]);
    expect(unknownSet.body.message).toContain("featureSet");
    const fewCells = await refused("POST", "/early-life/tasks", {
      name: "x",
      datasetId,
      split: "custom",
      trainCells: ["1", "2"],
      testCells: ["3"],
    });
    expect(fewCells.status).toBe(400);
    expect(fewCells.body.message).toMatch(/trainCells: .*5/);
    const unknownCell = await refused("POST", "/early-life/tasks", {
      name: "x",
      datasetId,
      split: "custom",
      trainCells: ["1", "2", "3", "4", "no-such-cell"],
      testCells: ["5"],
    });
    expect([unknownCell.status, unknownCell.body.data?.field]).toEqual([400, "trainCells"]);
    expect(unknownCell.body.message).toContain("no-such-cell");
    expect((await refused("POST", "/early-life/tasks", { name: "x", datasetId: 999_999_999 })).status).toBe(404);
  });
});

describe("forecast from a posted history over REST", () => {
  const lines = syntheticCsv(1000).trim().split("\n");
  const recent = lines.slice(-40);
  const csv = (rows: string[], header = "time,kwh") => [header, ...rows].join("\n") + "\n";
  const points = (rows: string[]) =>
    rows.map((l) => ({ ts: Date.parse(l.split(",")[0].replace(" ", "T") + ":00Z"), value: Number(l.split(",")[1]) }));
  const path = () => `/energy/models/${versionId}/forecast-from-history`;

  it("csv text, points and a base64 file give the tRPC procedure's forecast and calibrated band", async () => {
    const viaTrpc = await owner.caller.energyModels.forecastFromFile({
      id: versionId,
      fileName: "recent.csv",
      contentBase64: b64(csv(recent)),
    });
    const lastTs = points(recent).at(-1)!.ts;
    for (const body of [
      { csv: csv(recent) },
      { points: points(recent) },
      { fileName: "recent.csv", contentBase64: b64(csv(recent)) },
    ]) {
      const got = await ok("post /energy/models/{id}/forecast-from-history", path(), body);
      expect(got.forecast).toEqual(viaTrpc.forecast);
      expect(got.forecast.map((p: any) => p.ts)).toEqual([1, 2, 3, 4].map((h) => lastTs + h * 900_000));
      expect(got.forecast.every((p: any) => p.q10 <= p.q50 && p.q50 <= p.q90)).toBe(true);
      expect(got.calibrated).toBe(viaTrpc.calibrated);
      expect(got.csv).toBe(viaTrpc.csv);
    }
  });

  it("refuses wrong columns, another frequency and too short a history, naming the field sent", async () => {
    const cases: [unknown, string, RegExp][] = [
      [{ csv: csv(recent, "time,power") }, "csv", /no column "kwh".*"power"/],
      [{ csv: csv(lines.slice(-80).filter((_, i) => i % 2 === 0)) }, "csv", /30 min.*15 min/],
      [{ points: points(lines.slice(-80).filter((_, i) => i % 2 === 0)) }, "points", /30 min.*15 min/],
      [{ csv: csv(lines.slice(-10)) }, "csv", /has 10 points.*at least 16/],
      [{ points: points(lines.slice(-10)) }, "points", /has 10 points.*at least 16/],
    ];
    for (const [body, field, message] of cases) {
      const r = await refused("POST", path(), body);
      expect([r.status, r.body.data?.field], JSON.stringify(r.body)).toEqual([400, field]);
      expect(r.body.message).toMatch(message);
    }
  });

  it("refuses a malformed body with the field's issue, and another user's version with 404", async () => {
    const both = await refused("POST", path(), { csv: csv(recent), points: points(recent) });
    expect([both.status, both.body.issues?.[0]?.path]).toEqual([400, ["points"]]);
    expect(both.body.message).toContain("one way");
    const textTs = await refused("POST", path(), { points: [{ ts: String(ts[0]), value: 1 }] });
    expect([textTs.status, textTs.body.issues?.[0]?.path]).toEqual([400, ["points", 0, "ts"]]);
    const noName = await refused("POST", path(), { contentBase64: b64(csv(recent)) });
    expect([noName.status, noName.body.issues?.[0]?.path]).toEqual([400, ["fileName"]]);
    for (const body of [{ csv: csv(recent) }, { points: points(recent) }])
      expect((await refused("POST", path(), body, other.apiKey)).status).toBe(404);
  });
});

describe("streaming detectors over REST", () => {
  it("fits as over tRPC, and its detection's alerts are read over REST", async () => {
    const fitted = await ok("post /anomaly/streaming-detectors", "/anomaly/streaming-detectors", { assetId });
    const viaTrpc = await owner.caller.anomaly.fitStreaming({ assetId });
    expect(fitted.kind).toBe("streaming");
    expect(fitted.streaming).toEqual(viaTrpc.streaming);
    expect(fitted.summary).toEqual(viaTrpc.summary);
    expect(fitted.streaming.probation).toBe(150); // 15 % of 1,000 points
    const read = await restCall(server.url, owner.apiKey, "GET", `/anomaly/detectors/${fitted.id}`);
    expect((await read.json()).highThreshold).toBe(fitted.highThreshold);

    startWorker();
    const det = await restCall(server.url, owner.apiKey, "POST", `/anomaly/detectors/${fitted.id}/detections`, {
      body: { from: ts[600] },
    });
    expect(det.status).toBe(200);
    const detectionId = ((await det.json()) as { id: number }).id;
    const done = await waitFor(
      "the streaming detection",
      async () => {
        const r = await restCall(server.url, owner.apiKey, "GET", `/anomaly/detections/${detectionId}`);
        const b = (await r.json()) as { status: string; events: { peakTs: number }[] };
        return ["SUCCEEDED", "FAILED", "CANCELED"].includes(b.status) ? b : null;
      },
      60_000,
      300,
    );
    expect(done.status).toBe("SUCCEEDED");
    // The first spike (points 700–701) raises one alert, at the spike; the events CSV lists the same alerts.
    const peaks = done.events.map((e) => e.peakTs);
    expect(peaks.filter((t) => t >= ts[SPIKES[0]] && t <= ts[SPIKES[1]])).toHaveLength(1);
    const events = await restCall(server.url, owner.apiKey, "GET", `/anomaly/detections/${detectionId}/csv`);
    const rows = ((await events.json()) as { csv: string }).csv.trim().split("\n").slice(1);
    expect(rows.map((r) => Date.parse(r.split(",")[2]))).toEqual(peaks);
  }, 120_000);

  it("refuses a bad threshold or probation naming the field, and another user's asset with 404", async () => {
    const threshold = await refused("POST", "/anomaly/streaming-detectors", { assetId, threshold: 2 });
    expect([threshold.status, threshold.body.issues?.[0]?.path]).toEqual([400, ["threshold"]]);
    const range = await refused("POST", "/anomaly/streaming-detectors", {
      assetId,
      probationFrom: ts[500],
      probationTo: ts[100],
    });
    expect([range.status, range.body.issues?.[0]?.path]).toEqual([400, ["probationTo"]]);
    const short = await refused("POST", "/anomaly/streaming-detectors", {
      assetId,
      probationFrom: ts[100],
      probationTo: ts[102],
    });
    expect([short.status, short.body.data?.field]).toEqual([400, "probationTo"]);
    const foreign = await refused("POST", "/anomaly/streaming-detectors", { assetId }, other.apiKey);
    expect(foreign.status).toBe(404);
    expect(await other.caller.anomaly.detectors({})).toEqual([]);
  });
});

it("asked every operation this file owns (openapi.test.ts asks the others)", () => {
  expect([...asked].sort()).toEqual([...LAB_OPERATIONS].sort());
});
