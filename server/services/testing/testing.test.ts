/**
 * Battery Lab testing end to end without a browser: real database, real queue (an in-process
 * worker), a Baseline trained for 3 epochs through the training service, onnxruntime-node.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { Readable } from "node:stream";
import ExcelJS from "exceljs";
import { parse } from "csv-parse/sync";
import { TRPCError } from "@trpc/server";
import * as ort from "onnxruntime-node";
import { closeDb, db } from "../../../db/db.js";
import { eventsOf, testPrefix } from "../../../jobs/testing.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { startTestServer } from "../../testing/server.js";
import { artifacts } from "../../storage/artifacts.js";
import { SESSION_COOKIE } from "../../auth/token.js";
import { targetMetrics } from "../../ml/metrics.js";
import { listPresets } from "../battery/datasets.js";
import type { CreateTestJobInput, TestTarget } from "../../schemas/testing.js";
import {
  builtinDatasetId,
  runTestJobToEnd,
  startTestWorker,
  trainBaselineVersion,
  type TestWorker,
} from "../../testing/battery-fixtures.js";
import { createTestJob, getTestJob } from "./test-jobs.js";
import { exportKey, METRIC_COLUMNS } from "./exports.js";
import { modelKey, MODEL_FILES } from "../training/versions.js";

let w: TestWorker;
let user: TestUser;
let other: TestUser;
let versionId: number;
let datasetId: number;
let secondary: string[];
let job: Awaited<ReturnType<typeof runTestJobToEnd>>;
let horizon5: typeof job | undefined;

beforeAll(async () => {
  user = await createTestUser("testing");
  other = await createTestUser("testing-other");
  w = startTestWorker("testing");
  versionId = await trainBaselineVersion(user.id, w);
  datasetId = await builtinDatasetId();
  secondary = (await listPresets({ datasetId, userId: user.id })).find((p) => p.key === "secondary_test")!.cellKeys;
  const t0 = Date.now();
  job = await runTestJobToEnd(user.id, w, {
    versionId,
    datasetId,
    cellKeys: secondary,
    preset: "secondary_test",
    targets: ["pcl", "rul"],
  });
  console.log(
    `40-cell test job: ${job.status} ${job.error ?? ""} ${Date.now() - t0} ms end to end (inference ${job.result?.elapsedMs} ms)`,
  );
});

afterAll(async () => {
  await w?.stop();
  await closeDb();
});

type Detail = { cell: string; cycle: number; target: TestTarget; yTrue: number; yPred: number; residual: number };

async function detailOf(testJobId: number): Promise<Detail[]> {
  const csv = (await artifacts().get(exportKey(user.id, testJobId, "csv"))).toString();
  const rows = parse(csv, { columns: true }) as Record<string, string>[];
  return rows.map((x) => ({
    cell: x.cell,
    cycle: Number(x.cycle),
    target: x.target as TestTarget,
    yTrue: Number(x.y_true),
    yPred: Number(x.y_pred),
    residual: Number(x.residual),
  }));
}

/**
 * Checks exported detail rows against the source and the model, independently of the product's
 * code path: the cells' rows are read from battery_cycles with SQL (the product reads the column
 * blobs), y_true must be the target at cycle t + h, y_pred the output of the version's model.onnx
 * (read through the artifact store, run one sample at a time) on the W rows ending at t, and
 * residual = y_pred − y_true. Also: every cell's exported cycles are exactly the anchors the
 * source allows (W consecutive finite input rows ending at t, a finite target at t + h).
 */
async function checkAgainstSourceAndModel(testJob: NonNullable<typeof job>, detail: Detail[], sampleEvery: number) {
  const cfg = testJob.config;
  const v = cfg.version;
  const h = cfg.horizon;
  const cellKeys = [...new Set(detail.map((d) => d.cell))];
  const [raw] = (await db().raw(
    `SELECT c.cell_key AS cell, y.* FROM battery_cycles y JOIN battery_cells c ON c.id = y.cell_id WHERE y.dataset_id = ? AND c.cell_key IN (${cellKeys.map(() => "?").join(",")}) ORDER BY y.cycle`,
    [cfg.datasetId, ...cellKeys],
  )) as unknown as [Record<string, unknown>[]];
  const source = new Map<string, Map<number, Record<string, unknown>>>();
  for (const r of raw) {
    if (!source.has(String(r.cell))) source.set(String(r.cell), new Map());
    source.get(String(r.cell))!.set(Number(r.cycle), r);
  }
  const value = (r: Record<string, unknown> | undefined, name: string) => {
    if (!r) return NaN;
    if (!(name in r)) throw new Error(`battery_cycles has no column ${name}`);
    return r[name] === null ? NaN : Number(r[name]);
  };
  const inputRows = (cell: string, t: number) =>
    Array.from({ length: v.window }, (_, w) => source.get(cell)!.get(t - v.window + 1 + w));
  const inputsOk = (cell: string, t: number) =>
    inputRows(cell, t).every((r) => r && v.inputNames.every((n) => Number.isFinite(value(r, n))));

  // The anchors: the exported cycles of each cell and target are exactly the ones the source allows.
  for (const cell of cellKeys) {
    for (const t of cfg.targets) {
      const expected = [...source.get(cell)!.keys()].filter(
        (c) => inputsOk(cell, c) && cfg.targets.every((tg) => Number.isFinite(value(source.get(cell)!.get(c + h), tg))),
      );
      expect(
        detail.filter((d) => d.cell === cell && d.target === t).map((d) => d.cycle),
        `${cell} ${t} cycles`,
      ).toEqual(expected);
    }
  }

  const session = await ort.InferenceSession.create(
    await artifacts().get(modelKey(user.id, cfg.versionId, MODEL_FILES.onnx)),
  );
  try {
    const sampled = detail.filter((_, i) => i % sampleEvery === 0 || i === detail.length - 1);
    for (const d of sampled) {
      const what = `${d.cell} cycle ${d.cycle} ${d.target}`;
      expect(d.yTrue, `${what}: y_true is the value at cycle ${d.cycle} + ${h}`).toBe(
        value(source.get(d.cell)!.get(d.cycle + h), d.target),
      );
      const x = new Float32Array(inputRows(d.cell, d.cycle).flatMap((r) => v.inputNames.map((n) => value(r, n))));
      const shape = v.window > 1 ? [1, v.window, v.inputNames.length] : [1, v.inputNames.length];
      const out = await session.run({ [session.inputNames[0]]: new ort.Tensor("float32", x, shape) });
      const pred = (out[session.outputNames[0]].data as Float32Array)[v.outputNames.indexOf(d.target)];
      expect(Math.abs(d.yPred - pred), `${what}: y_pred ${d.yPred} vs the model's ${pred}`).toBeLessThanOrEqual(
        1e-5 * Math.max(1, Math.abs(pred)),
      );
      expect(d.residual, `${what}: residual`).toBe(d.yPred - d.yTrue);
    }
    return sampled.length;
  } finally {
    await session.release();
  }
}

describe("battery testing", { timeout: 90_000 }, () => {
  it("tests a Baseline version on all 40 secondary-test cells, streaming per-cell progress", async () => {
    expect(secondary).toHaveLength(40);
    expect(job.status).toBe("SUCCEEDED");
    const r = job.result!;
    expect(r.cells.map((c) => c.cellKey)).toEqual(secondary);
    expect(r.samples).toBeGreaterThan(30_000);
    expect(r.overall.pcl!.n).toBe(r.samples);
    expect(r.overall.rul!.n).toBe(r.samples);
    const ev = await eventsOf(job.jobId!);
    const progress = ev.filter((e) => e.type === "progress").map((e) => e.payload);
    expect(progress.at(-1)).toMatchObject({ done: 40, total: 40, cell: secondary[39] });
    expect(progress.at(-1).running.pcl.rmspe).toBeCloseTo(r.overall.pcl!.rmspe, 12);
    expect(progress.filter((p) => p.cell).map((p) => p.cell)).toEqual(secondary);
  });

  it("exports CSV and XLSX with the four sheets and the right row counts; metrics recomputed from the detail rows equal the platform's", async () => {
    const r = job.result!;
    const csv = (await artifacts().get(exportKey(user.id, job.id, "csv"))).toString();
    const rows = parse(csv, {
      columns: true,
      cast: (v, ctx) => (ctx.column === "cell" || ctx.column === "target" || ctx.header ? v : Number(v)),
    }) as Record<string, string | number>[];
    expect(rows).toHaveLength(2 * r.samples);
    const detail: Detail[] = rows.map((x) => ({
      cell: String(x.cell),
      cycle: x.cycle as number,
      target: x.target as TestTarget,
      yTrue: x.y_true as number,
      yPred: x.y_pred as number,
      residual: x.residual as number,
    }));

    // Read back with exceljs's streaming reader (the full in-memory load of ~80k rows is slow on 2 cores).
    const sheets: Record<string, unknown[][]> = {};
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(
      Readable.from(await artifacts().get(exportKey(user.id, job.id, "xlsx"))),
      {
        sharedStrings: "cache",
        styles: "ignore",
        worksheets: "emit",
        hyperlinks: "ignore",
      },
    );
    for await (const ws of reader) {
      const name = (ws as unknown as { name: string }).name;
      const rows: unknown[][] = (sheets[name] = []);
      for await (const row of ws) rows.push((row.values as unknown[]).slice(1));
    }
    expect(Object.keys(sheets)).toEqual(["meta", "overall", "per_cell", "detail"]);
    const meta = Object.fromEntries(sheets.meta.slice(1).map((v) => [v[0], v[1]]));
    expect(meta["model version"]).toContain(`#${versionId}`);
    expect(meta.algorithm).toBe("baseline");
    expect(String(meta.cells).split(", ")).toEqual(secondary);
    expect(meta["data source"]).toContain("secondary_test");
    expect(meta["created at"]).toBe(new Date(job.createdAt).toISOString());
    expect(JSON.parse(String(meta.config)).model.kind).toBe("baseline");
    expect(sheets.overall).toHaveLength(1 + 2);
    expect(sheets.per_cell).toHaveLength(1 + 40 * 2);
    expect(sheets.detail).toHaveLength(1 + 2 * r.samples);
    expect(sheets.detail[0]).toEqual(["cell", "cycle", "target", "y_true", "y_pred", "residual"]);
    // The XLSX detail holds the same numbers as the CSV (spot checks).
    for (const i of [0, 777, 2 * r.samples - 1]) {
      expect(sheets.detail[i + 1]).toEqual([
        detail[i].cell,
        detail[i].cycle,
        detail[i].target,
        detail[i].yTrue,
        detail[i].yPred,
        detail[i].residual,
      ]);
    }

    // Recompute every metric from the exported rows.
    const recompute = (sel: Detail[], t: TestTarget) => {
      const s = sel.filter((d) => d.target === t);
      return targetMetrics(
        t,
        s.map((d) => d.yPred),
        s.map((d) => d.yTrue),
      );
    };
    const shown = await user.caller.testJobs.get({ id: job.id });
    for (const t of ["pcl", "rul"] as const) {
      const mine = recompute(detail, t);
      for (const m of ["rmspe", "mse", "rmse", "r2", "mae"] as const)
        expect(shown.result!.overall[t]![m], `${t} ${m}`).toBeCloseTo(mine[m], 10);
      expect(shown.result!.overall[t]!.rmspeExcluded).toBe(mine.rmspeExcluded);
      const overallRow = sheets.overall[t === "pcl" ? 1 : 2];
      expect(overallRow[0]).toBe(t);
      expect(overallRow[1 + METRIC_COLUMNS.indexOf("rmse")]).toBeCloseTo(mine.rmse, 10);
    }
    const byCell = new Map<string, Detail[]>();
    for (const d of detail) {
      if (!byCell.has(d.cell)) byCell.set(d.cell, []);
      byCell.get(d.cell)!.push(d);
    }
    for (const c of shown.result!.cells) {
      for (const t of ["pcl", "rul"] as const) {
        const mine = recompute(byCell.get(c.cellKey)!, t);
        expect(c.metrics[t]!.rmse, `${c.cellKey} ${t}`).toBeCloseTo(mine.rmse, 10);
        expect(c.metrics[t]!.rmspe).toBeCloseTo(mine.rmspe, 10);
        expect(c.metrics[t]!.r2).toBeCloseTo(mine.r2, 10);
      }
    }
    // The page's per-cell series carry the same values (metrics on every sample, points downsampled).
    const cell = await user.caller.testJobs.cell({ id: job.id, cellKey: secondary[3], maxPoints: 200 });
    expect(cell.metrics.pcl!.rmse).toBeCloseTo(shown.result!.cells[3].metrics.pcl!.rmse, 12);
    expect(cell.targets[0].points.length).toBeLessThanOrEqual(400);
    const res = await user.caller.testJobs.residuals({ id: job.id, target: "rul", bins: 30 });
    expect(res.histogram.reduce((s, b) => s + b.count, 0)).toBe(r.samples);
    expect(res.perCell).toHaveLength(40);
  });

  it("exports y_true from the dataset at cycle t, y_pred from the version's ONNX model and residual = y_pred − y_true", async () => {
    const detail = await detailOf(job.id);
    expect(job.config.horizon).toBe(0);
    const checked = await checkAgainstSourceAndModel(job, detail, 487);
    expect(checked).toBeGreaterThan(100);
  });

  it("a horizon-5 job exports y_true five cycles after the inputs' cycle, scored by the model on the inputs at t", async () => {
    horizon5 = await runTestJobToEnd(user.id, w, {
      versionId,
      datasetId,
      cellKeys: ["124", "91"],
      targets: ["rul"],
      horizon: 5,
    });
    expect(horizon5.status).toBe("SUCCEEDED");
    expect(horizon5.config.horizon).toBe(5);
    const detail = await detailOf(horizon5.id);
    expect(new Set(detail.map((d) => d.cell))).toEqual(new Set(["124", "91"]));
    expect(await checkAgainstSourceAndModel(horizon5, detail, 23)).toBeGreaterThan(50);
  });

  it("serves the exports to their owner only: 401 without credentials, 404 to another user", async () => {
    const server = await startTestServer({ withRemix: false });
    try {
      const url = (f: string) => `${server.url}/api/exports/${job.id}/result.${f}`;
      const csv = await fetch(url("csv"), { headers: { cookie: `${SESSION_COOKIE}=${user.token}` } });
      expect(csv.status).toBe(200);
      expect(csv.headers.get("content-disposition")).toMatch(/^attachment; filename="voltlab-test-\d+-.*\.csv"$/);
      expect(await csv.text()).toBe((await artifacts().get(exportKey(user.id, job.id, "csv"))).toString());
      const xlsx = await fetch(url("xlsx"), { headers: { authorization: `Bearer ${user.apiKey}` } });
      expect(xlsx.status).toBe(200);
      expect(
        Buffer.from(await xlsx.arrayBuffer())
          .subarray(0, 2)
          .toString(),
      ).toBe("PK");
      expect((await fetch(url("csv"))).status).toBe(401);
      expect((await fetch(url("xlsx"), { headers: { authorization: "Bearer not-a-token" } })).status).toBe(401);
      for (const f of ["csv", "xlsx"]) {
        expect((await fetch(url(f), { headers: { cookie: `${SESSION_COOKIE}=${other.token}` } })).status).toBe(404);
        expect((await fetch(url(f), { headers: { authorization: `Bearer ${other.apiKey}` } })).status).toBe(404);
      }
      expect(
        (
          await fetch(`${server.url}/api/exports/${job.id}/result.pdf`, {
            headers: { cookie: `${SESSION_COOKIE}=${user.token}` },
          })
        ).status,
      ).toBe(404);
    } finally {
      await server.close();
    }
  });

  it("rejects bad requests with errors naming the field", async () => {
    const fieldOf = async (input: unknown) => {
      const e = await user.caller.testJobs.create(input as CreateTestJobInput).then(
        () => null,
        (e: unknown) => e,
      );
      expect(e).toBeInstanceOf(TRPCError);
      const err = e as TRPCError & { cause?: any };
      const zodFields = err.cause?.issues?.map((i: { path: string[] }) => i.path.join("."));
      return { field: zodFields?.length ? zodFields[0] : err.cause?.field, message: err.message };
    };
    const base = { versionId, datasetId, cellKeys: ["124"], targets: ["pcl"] };
    expect((await fieldOf({ ...base, targets: [] })).field).toBe("targets");
    expect((await fieldOf({ ...base, cellKeys: ["no-such-cell"] })).field).toBe("cellKeys");
    expect((await fieldOf({ ...base, versionId: 999_999_999 })).field).toBe("versionId");
    expect((await fieldOf({ ...base, horizon: -1 })).field).toBe("horizon");
    // An upload without the version's features: the error names the source and the features.
    const up = await user.caller.battery.upload({
      fileName: "temps.csv",
      contentBase64: Buffer.from(
        "cell_id,cycle,temp_c,pcl,rul\nU1,1,30.1,0.01,3\nU1,2,30.4,0.02,2\nU1,3,30.2,0.03,1\nU1,4,30.9,0.04,0\n",
      ).toString("base64"),
      name: `temps-${Date.now()}`,
    });
    if (!up.ok) throw new Error(JSON.stringify(up.problems));
    const lacking = await fieldOf({ ...base, datasetId: up.datasetId, cellKeys: [] });
    expect(lacking.field).toBe("datasetId");
    expect(lacking.message).toBe(
      "The data source lacks features the version needs: kong_slope, kong_intercept, tavg_c",
    );
    // Another user's version is not found.
    const foreign = await other.caller.testJobs.create(base as CreateTestJobInput).then(
      () => null,
      (e: TRPCError) => e,
    );
    expect(foreign?.code).toBe("NOT_FOUND");
  });

  it("cancels a waiting test job and deletes a finished one with its files", async () => {
    const waiting = await createTestJob(
      user.id,
      { versionId, datasetId, cellKeys: ["124"], targets: ["pcl"] },
      { jobNamePrefix: testPrefix("nobody") },
    );
    expect(waiting.status).toBe("PENDING");
    const c = await user.caller.testJobs.cancel({ id: waiting.id });
    expect(c.cancelled).toBe(true);
    expect((await getTestJob(user.id, waiting.id)).status).toBe("CANCELED");
    const small = horizon5!;
    expect(await artifacts().exists(exportKey(user.id, small.id, "xlsx"))).toBe(true);
    await user.caller.testJobs.delete({ id: small.id });
    expect(await artifacts().exists(exportKey(user.id, small.id, "xlsx"))).toBe(false);
    expect((await user.caller.testJobs.list()).map((t) => t.id)).not.toContain(small.id);
  });
});
