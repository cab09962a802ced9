/**
 * Battery training end to end without a browser: real database, real addon, real queue.
 * An in-process worker serves this file's job-name prefix (battery.train only); the kill test
 * uses a child worker process. Few epochs on Case A so each run takes about a second.
 */
import { english } from "../../i18n/translate.js";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as ort from "onnxruntime-node";
import { TRPCError } from "@trpc/server";
import { db, closeDb } from "../../../db/db.js";
import { BatteryDataset } from "../../../db/models/battery-dataset.js";
import { ModelVersion } from "../../../db/models/model-version.js";
import "../../../jobs/handlers/index.js";
import * as q from "../../../jobs/queue.js";
import { eventsOf, killWorkers, spawnWorker, testPrefix, waitFor, startWorkerFor } from "../../../jobs/testing.js";
import type { Worker } from "../../../jobs/worker-runtime.js";
import { predict, readCheckpoint, type ModelSpec } from "../../../native/index.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createUpload } from "../battery/uploads.js";
import { artifacts } from "../../storage/artifacts.js";
import {
  createTaskInput,
  DEFAULT_INPUT_NOISE,
  SYSTEM_SETTINGS,
  TASK_DEFAULTS,
  type TaskConfig,
  type TaskInput,
} from "../../schemas/training.js";
import { buildTaskData, loadTaskCells } from "./data.js";
import { trainAlgorithm } from "./trainer.js";
import { createTask, getTask, cancelTask, TRAIN_JOB } from "./tasks.js";
import { MODEL_FILES, modelKey } from "./versions.js";

const prefix = testPrefix("train");
let worker: Worker;
let user: TestUser;
let datasetId: number;

const caseA = (over: Partial<TaskInput> = {}): TaskInput => ({
  name: `t-${Date.now()}`,
  datasetId,
  split: "case_a",
  target: "pcl",
  features: ["kong_slope", "kong_intercept", "tavg_c"],
  algorithms: ["baseline"],
  epochs: 4,
  window: 4,
  lstmLayers: 1,
  lstmHidden: 16,
  hiddenWidth: 32,
  physicsLoss: "adaptive",
  ...over,
});

beforeAll(async () => {
  db();
  user = await createTestUser("train");
  datasetId = (await BatteryDataset.query().findOne({ source: "builtin" }))!.id;
  worker = startWorkerFor([TRAIN_JOB], prefix, { concurrency: 2, heartbeatMs: 500, maintenanceMs: 1000 });
});

afterAll(async () => {
  await worker?.stop(1000);
  await killWorkers();
  await closeDb();
});

const finished = (taskId: number) =>
  waitFor(
    `task ${taskId} to finish`,
    async () => {
      const t = await getTask(user.id, taskId);
      return ["SUCCEEDED", "FAILED", "CANCELED"].includes(t.status) ? t : null;
    },
    90_000,
    200,
  );

describe("battery training", () => {
  it("trains three algorithms (repeats 2): versions with checkpoint, ONNX and config; ONNX matches the addon", async () => {
    const created = await createTask(user.id, caseA({ algorithms: ["baseline", "bilstm", "deephpm"], repeats: 2 }), {
      jobNamePrefix: prefix,
    });
    expect(created.runs.map((r) => r.algorithm)).toEqual(["baseline", "bilstm", "deephpm"]);
    expect(created.status).toBe("PENDING");
    const t = await finished(created.id);
    expect(t.runs.map((r) => [r.algorithm, r.status, r.error])).toEqual([
      ["baseline", "SUCCEEDED", null],
      ["bilstm", "SUCCEEDED", null],
      ["deephpm", "SUCCEEDED", null],
    ]);
    expect(t.status).toBe("SUCCEEDED");

    // Live events: per-epoch metrics of both seeds, progress to the end, log lines.
    const ev = await eventsOf(t.runs[0].jobId!);
    const epochs = ev.filter((e) => e.type === "metric" && e.payload.kind === "epoch");
    expect(epochs.map((e) => `${e.payload.seed}:${e.payload.epoch}`)).toEqual([
      "42:1",
      "42:2",
      "42:3",
      "42:4",
      "43:1",
      "43:2",
      "43:3",
      "43:4",
    ]);
    expect(epochs[0].payload.val.pcl.rmspe).toBeGreaterThan(0);
    expect(ev.filter((e) => e.type === "progress").at(-1)!.payload).toMatchObject({ done: 8, total: 8 });
    expect(ev.some((e) => e.type === "log" && /model version \d+ stored/.test(e.payload.message))).toBe(true);
    // No inputNoise in the request: the task trains with the default σ, and says so.
    expect((t.config as TaskConfig).inputNoise).toBe(DEFAULT_INPUT_NOISE);
    expect(
      ev.some(
        (e) =>
          e.type === "log" &&
          e.payload.message.includes(`seed 42 (1 of 2), 4 epochs`) &&
          e.payload.message.endsWith(`input noise σ ${DEFAULT_INPUT_NOISE}`),
      ),
    ).toBe(true);

    const versions = await ModelVersion.query().where({ taskId: t.id, userId: user.id }).orderBy("id");
    expect(versions.map((v) => v.algorithm).sort()).toEqual(["baseline", "bilstm", "deephpm"]);
    const cfg: TaskConfig = { ...(t.config as TaskConfig), system: SYSTEM_SETTINGS };
    const loaded = await loadTaskCells(user.id, cfg);
    for (const v of versions) {
      const run = t.runs.find((r) => r.algorithm === v.algorithm)!;
      expect(run.versionId).toBe(v.id);
      const m = v.metrics as any;
      expect(m.seeds).toHaveLength(2);
      expect(m.summary.test.pcl.rmspe.std).toBeGreaterThanOrEqual(0);
      expect(m.summary.val.pcl.rmse.mean).toBeGreaterThan(0);
      expect((v.lineage as any).normalization.xMean).toHaveLength(4);
      expect((v.lineage as any).split.testCells).toEqual(["124"]);
      for (const f of Object.values(MODEL_FILES))
        expect(await artifacts().exists(modelKey(user.id, v.id, f))).toBe(true);

      // ONNX (normalisation inside) vs the addon's predict on raw test inputs, weights from the checkpoint.
      const model = (v.config as { model: ModelSpec }).model;
      const data = buildTaskData(loaded, cfg, model.window ?? 1);
      const weights = await artifacts().withLocalFile(modelKey(user.id, v.id, MODEL_FILES.checkpoint), async (file) =>
        readCheckpoint(model, file),
      );
      const x = {
        data: data.test.x,
        shape: model.kind === "bilstm" ? [data.test.n, model.window!, data.inputDim] : [data.test.n, data.inputDim],
      };
      const addon = predict(model, weights, x, { normalization: data.normalization });
      const session = await ort.InferenceSession.create(
        await artifacts().get(modelKey(user.id, v.id, MODEL_FILES.onnx)),
      );
      const out = (await session.run({ input: new ort.Tensor("float32", x.data, x.shape) })).output
        .data as Float32Array;
      expect(out.length).toBe(data.test.n);
      let maxDiff = 0;
      for (let i = 0; i < out.length; i++) maxDiff = Math.max(maxDiff, Math.abs(out[i] - addon.data[i]));
      expect(maxDiff, `${v.algorithm} |onnx − addon|`).toBeLessThanOrEqual(1e-5);
      const config = JSON.parse((await artifacts().get(modelKey(user.id, v.id, MODEL_FILES.config))).toString());
      expect(config.training.keptSeed).toBe(m.seeds[m.bestSeedIndex].seed);
      expect(config.training.bestEpoch).toBe(v.bestEpoch);
      expect(config.training.inputNoise).toBe(DEFAULT_INPUT_NOISE);
      expect((v.config as any).training.inputNoise).toBe(DEFAULT_INPUT_NOISE);
    }

    // Delete removes the files.
    const gone = versions[0];
    await user.caller.models.delete({ id: gone.id });
    expect(await artifacts().list(modelKey(user.id, gone.id))).toEqual([]);
  });

  it("cancel mid-run: CANCELED and no model version", async () => {
    const created = await createTask(user.id, caseA({ algorithms: ["deephpm"], epochs: 5000, hiddenWidth: 128 }), {
      jobNamePrefix: prefix,
    });
    const jobId = created.runs[0].jobId!;
    await waitFor("epochs to stream", async () => (await eventsOf(jobId)).some((e) => e.type === "metric"), 30_000);
    const c = await cancelTask(user.id, created.id);
    expect(c.cancelled).toBe(1);
    const t = await finished(created.id);
    expect(t.runs[0].status).toBe("CANCELED");
    await waitFor("the handler to stop", async () => !worker.runningIds.includes(jobId), 30_000);
    const ev = await eventsOf(jobId);
    expect(ev.filter((e) => e.type === "metric").length).toBeLessThan(400);
    expect(ev.some((e) => e.type === "log" && /cancelled/.test(e.payload.message))).toBe(true);
    expect(await ModelVersion.query().where({ taskId: created.id })).toEqual([]);
    expect((await getTask(user.id, created.id)).status).toBe("CANCELED");
  });

  it("a SIGKILLed worker's run ends FAILED (retries spent), never RUNNING forever, and leaves no version", async () => {
    const killPrefix = testPrefix("train-kill");
    const child = await spawnWorker(killPrefix, {
      WORKER_HEARTBEAT_MS: "300",
      WORKER_MAINTENANCE_MS: "500",
      WORKER_ONLY_QUEUES: TRAIN_JOB,
    });
    const created = await createTask(user.id, caseA({ algorithms: ["baseline"], epochs: 5000 }), {
      jobNamePrefix: killPrefix,
      // A few heartbeats long, so a busy machine does not expire the live child first.
      send: { expireIn: 5, retryLimit: 0 },
    });
    const jobId = created.runs[0].jobId!;
    await waitFor("the child to train", async () => (await eventsOf(jobId)).some((e) => e.type === "metric"), 45_000);
    expect((await getTask(user.id, created.id)).runs[0].status).toBe("RUNNING");
    child.proc.kill("SIGKILL");
    await child.exited;
    // Any worker's maintenance expires it (ours runs every second); call it too, as a worker would.
    const t = await waitFor(
      "expiry",
      async () => {
        await q.expire();
        const t = await getTask(user.id, created.id);
        return t.status === "FAILED" ? t : null;
      },
      30_000,
      300,
    );
    expect(t.runs[0].error).toMatch(/^expired: no heartbeat/);
    expect(await ModelVersion.query().where({ taskId: created.id })).toEqual([]);
  });

  it("rejects bad task inputs with errors naming the field", async () => {
    const fieldOf = async (input: unknown) => {
      const e = await user.caller.training.create(input as TaskInput).then(
        () => null,
        (e: unknown) => e,
      );
      expect(e).toBeInstanceOf(TRPCError);
      const err = e as TRPCError & { cause?: any };
      expect(["BAD_REQUEST", "NOT_FOUND"]).toContain(err.code);
      const zodFields = err.cause?.issues?.map((i: { path: string[] }) => i.path.join("."));
      return zodFields?.length ? zodFields : [err.cause?.field];
    };
    expect(await fieldOf(caseA({ epochs: 6000 }))).toEqual(["epochs"]);
    expect(await fieldOf(caseA({ features: ["kong_slope", "qdischarge_ah"] }))).toEqual(["features"]);
    expect(await fieldOf(caseA({ algorithms: [] }))).toEqual(["algorithms"]);
    expect(await fieldOf(caseA({ repeats: 9 }))).toEqual(["repeats"]);
    expect(await fieldOf(caseA({ learningRate: 2 }))).toEqual(["learningRate"]);
    expect(await fieldOf(caseA({ inputNoise: 1.5 }))).toEqual(["inputNoise"]);
    expect(await fieldOf(caseA({ hiddenWidth: 4096 }))).toEqual(["hiddenWidth"]);
    expect(await fieldOf(caseA({ physicsLoss: "sum", physicsWeight: 0 }))).toEqual(["physicsWeight"]);
    expect(await fieldOf(caseA({ physicsLoss: "adaptive", physicsWeight: 2 }))).toEqual(["physicsWeight"]);
    expect(await fieldOf(caseA({ split: "custom", trainCells: [] }))).toEqual(["trainCells"]);
    expect(await fieldOf(caseA({ split: "custom", trainCells: ["91"], testCells: ["91"] }))).toEqual(["testCells"]);
    expect(await fieldOf(caseA({ split: "custom", trainCells: ["91", "no-such-cell"] }))).toEqual(["trainCells"]);
    expect(await fieldOf(caseA({ features: ["not_a_feature"] }))).toEqual(["features"]);
    expect(await fieldOf(caseA({ split: "severson", valMode: "cells", valCells: ["124"] }))).toEqual(["valCells"]);
    // An uploaded dataset with RUL only: PCL cannot be the target.
    const csv = [
      "cell_id,cycle,temp_c,rul",
      ...Array.from(
        { length: 40 },
        (_, i) => `U${i % 2},${Math.floor(i / 2) + 1},${30 + i / 10},${20 - Math.floor(i / 2)}`,
      ),
    ].join("\n");
    const up = await user.caller.battery.upload({
      fileName: "rul-only.csv",
      contentBase64: Buffer.from(csv).toString("base64"),
    });
    if (!up.ok) throw new Error(JSON.stringify(up.problems));
    const upInput = {
      datasetId: up.datasetId,
      split: "custom" as const,
      trainCells: ["U0", "U1"],
      features: ["temp_c"],
    };
    expect(await fieldOf(caseA({ ...upInput, target: "pcl" }))).toEqual(["target"]);
    expect(await fieldOf(caseA({ ...upInput, split: "case_a" }))).toEqual(["split"]);
  });

  it("input noise: 0 to 1 (default DEFAULT_INPUT_NOISE), changes training deterministically, missing in a stored config is 0", async () => {
    for (const bad of [-0.1, 1.5]) {
      const r = createTaskInput.safeParse(caseA({ inputNoise: bad }));
      expect(r.success, `inputNoise ${bad}`).toBe(false);
      // Schema messages are catalog keys; english() gives the text scripts read.
      expect(r.error!.issues.map((i) => [i.path.join("."), english(i.message, i as never)])).toEqual([
        ["inputNoise", "Input noise must be between 0 and 1"],
      ]);
    }
    expect(createTaskInput.parse(caseA()).inputNoise).toBe(DEFAULT_INPUT_NOISE);
    expect(createTaskInput.parse(caseA({ inputNoise: 0 })).inputNoise).toBe(0);
    // The form's defaults (history-aware Severson RUL) train without noise: σ 0 scored best on the
    // validation cells (bench/generalise); the API's default stays DEFAULT_INPUT_NOISE.
    expect(TASK_DEFAULTS.inputNoise).toBe(0);

    // Real training (Baseline, Case A, 5 epochs), same seed: σ 0.3 vs 0 vs a config stored before the field existed.
    const { inputNoise: _drop, ...parsed } = createTaskInput.parse(caseA({ epochs: 5 }));
    const old: TaskConfig = { ...parsed, system: SYSTEM_SETTINGS };
    const data = buildTaskData(await loadTaskCells(user.id, old), old, 1);
    const losses = async (cfg: TaskConfig) => {
      const logs: string[] = [];
      const r = (await trainAlgorithm("baseline", cfg, data, { log: (m) => logs.push(m) }))!;
      return { train: r.history.map((e) => e.trainLoss), val: r.history.map((e) => e.valLoss), log: logs[0] };
    };
    const noisy = await losses({ ...old, inputNoise: 0.3 });
    const noisyAgain = await losses({ ...old, inputNoise: 0.3 });
    const clean = await losses({ ...old, inputNoise: 0 });
    const stored = await losses(old);
    for (const h of [noisy, clean]) {
      expect(h.train).toHaveLength(5);
      for (const v of [...h.train, ...h.val]) expect(Number.isFinite(v)).toBe(true);
    }
    expect(noisy.log).toMatch(/input noise σ 0\.3$/);
    expect(stored.log).toMatch(/input noise σ 0$/);
    // Noise changes the training losses from the first epoch on; the same seed and σ repeat exactly.
    expect(noisy.train[0]).not.toBe(clean.train[0]);
    expect(noisy.train.every((v, i) => v !== clean.train[i])).toBe(true);
    expect(noisyAgain).toEqual(noisy);
    // An older task (no inputNoise stored) trains as it did: without noise.
    expect(stored.train).toEqual(clean.train);
    expect(stored.val).toEqual(clean.val);
  });

  it("DeepHPM physics weight: scales the physics terms of the sum loss; a stored config without it trains with 1", async () => {
    const { physicsWeight: _drop, ...parsed } = createTaskInput.parse(
      caseA({ algorithms: ["deephpm"], physicsLoss: "sum", epochs: 3 }),
    );
    const old: TaskConfig = { ...parsed, system: SYSTEM_SETTINGS };
    expect(createTaskInput.parse(caseA({ physicsLoss: "sum" })).physicsWeight).toBe(1);
    const data = buildTaskData(await loadTaskCells(user.id, old), old, 1);
    const run = async (cfg: TaskConfig) => (await trainAlgorithm("deephpm", cfg, data, {}))!;
    const light = await run({ ...old, physicsWeight: 0.1 });
    const unit = await run({ ...old, physicsWeight: 1 });
    const stored = await run(old);
    // The weight reaches the model spec the version stores, and changes the objective from the first batch on.
    expect(light.model.physicsWeight).toBe(0.1);
    expect(stored.model.physicsWeight).toBe(1);
    expect(light.history[0].trainLoss).toBeLessThan(unit.history[0].trainLoss);
    expect(stored.history.map((e) => e.trainLoss)).toEqual(unit.history.map((e) => e.trainLoss));
  });
});

describe("history-aware prognosis on the built-in dataset", () => {
  it("the form's defaults read observed PCL, its trend and ΔQ₁₀₀₋₁₀ from cycle 100 on, and beat the trivial RUL predictor on unseen cells", async () => {
    const cfg: TaskConfig = {
      ...createTaskInput.parse({
        ...TASK_DEFAULTS,
        name: "defaults",
        datasetId,
        seversonTest: "secondary_test",
        epochs: 8,
      }),
      system: SYSTEM_SETTINGS,
    };
    const loaded = await loadTaskCells(user.id, cfg);
    const data = buildTaskData(loaded, cfg, 1);
    expect(data.inputNames).toEqual([
      "kong_slope",
      "kong_intercept",
      "tavg_c",
      "pcl_observed",
      "pcl_trend_50",
      "dq_logvar",
      "dq_logmin",
      "cycle",
    ]);
    expect(Math.min(...data.train.cycle, ...data.test.cycle)).toBe(100);
    // Cell 1's ΔQ₁₀₀₋₁₀ log variance, as seeded, is every one of its samples' input.
    const c1 = loaded.cells.findIndex((c) => c.cellKey === "2");
    const rows = Array.from(data.train.cell.keys()).filter((i) => data.train.cell[i] === c1);
    expect(rows.length).toBeGreaterThan(100);
    expect(new Set(rows.map((i) => data.train.x[i * data.inputDim + 5])).size).toBe(1);
    // A few epochs already beat "mean training life − t" on the 40 secondary-test cells.
    const r = (await trainAlgorithm("baseline", cfg, data))!;
    const lives = loaded.cells
      .filter((c) => loaded.spec.trainCells.includes(c.cellKey))
      .map((c) => c.cycle[0] + c.rul[0]);
    const life = lives.reduce((a, b) => a + b, 0) / lives.length;
    let se = 0;
    for (let i = 0; i < data.test.n; i++) se += (life - data.test.cycle[i] - data.test.y[i]) ** 2;
    const trivial = Math.sqrt(se / data.test.n);
    expect(r.summary.test.rul!.rmse!.mean).toBeLessThan(0.6 * trivial);
  }, 60_000);

  it("early-life inputs on cells without a ΔQ₁₀₀₋₁₀ curve are refused, naming the cells", async () => {
    const csv =
      "cell_id,cycle,temp,pcl\n" +
      Array.from(
        { length: 120 },
        (_, i) => `U1,${i + 1},${30 + i / 100},${i / 1000}\nU2,${i + 1},${31 + i / 90},${i / 900}`,
      ).join("\n") +
      "\n";
    const up = await createUpload(user.id, {
      fileName: "early.csv",
      contentBase64: Buffer.from(csv).toString("base64"),
    });
    if (!up.ok) throw new Error(JSON.stringify(up.problems));
    const cfg: TaskConfig = {
      ...createTaskInput.parse({
        ...TASK_DEFAULTS,
        name: "early",
        datasetId: up.datasetId,
        split: "custom",
        target: "pcl",
        horizon: 10,
        features: ["temp"],
        trainCells: ["U1"],
        valMode: "cells",
        valCells: ["U2"],
      }),
      system: SYSTEM_SETTINGS,
    };
    await expect(loadTaskCells(user.id, cfg)).rejects.toThrow(/not available for 2 cell\(s\) of this task \(U1, U2\)/);
    // Without them the same history-aware task builds (observed PCL at h = 10 is allowed).
    const data = buildTaskData(await loadTaskCells(user.id, { ...cfg, earlyLife: [] }), { ...cfg, earlyLife: [] }, 1);
    expect(data.inputNames).toEqual(["temp", "pcl_observed", "pcl_trend_50", "cycle"]);
    expect(data.train.cycle[0]).toBe(51);
  });
});
