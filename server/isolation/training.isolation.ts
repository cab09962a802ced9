import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { BatteryDataset } from "../../db/models/battery-dataset.js";
import { ModelVersion } from "../../db/models/model-version.js";
import { artifacts } from "../storage/artifacts.js";
import { createTask } from "../services/training/tasks.js";
import { MODEL_FILES, modelKey } from "../services/training/versions.js";

interface Data {
  taskId: number;
  runId: number;
  versionId: number;
  uploadDatasetId: number;
}

const CSV = [
  "cell_id,cycle,temp_c,pcl,rul",
  ...Array.from(
    { length: 40 },
    (_, i) => `S${i % 2},${Math.floor(i / 2) + 1},${30 + i / 10},${i / 400},${20 - Math.floor(i / 2)}`,
  ),
].join("\n");

/**
 * A's training task (its job has a name no worker serves, so it stays PENDING), a model version
 * of A's with an ONNX file, and A's own uploaded dataset.
 */
async function aData(a: TestUser): Promise<Data> {
  const builtin = (await BatteryDataset.query().findOne({ source: "builtin" }))!;
  const task = await createTask(
    a.id,
    {
      name: "A secret task",
      datasetId: builtin.id,
      split: "case_a",
      target: "pcl",
      features: ["kong_slope"],
      algorithms: ["baseline"],
      epochs: 2,
    },
    { jobNamePrefix: "isolation-noop." },
  );
  const v = await ModelVersion.query().insert({
    userId: a.id,
    taskId: task.id,
    runId: task.runs[0].id,
    datasetId: builtin.id,
    name: "A secret model",
    algorithm: "baseline",
    target: "pcl",
    datasetName: builtin.name,
    bestEpoch: 1,
    config: {},
    lineage: { features: ["kong_slope"] },
    metrics: {},
    history: [],
  });
  await artifacts().put(modelKey(a.id, v.id, MODEL_FILES.onnx), Buffer.from("not really onnx"));
  const up = await a.caller.battery.upload({
    fileName: "mine.csv",
    contentBase64: Buffer.from(CSV).toString("base64"),
    name: "A cells",
  });
  if (!up.ok) throw new Error(`setup upload failed: ${JSON.stringify(up.problems)}`);
  return { taskId: task.id, runId: task.runs[0].id, versionId: v.id, uploadDatasetId: up.datasetId };
}

async function versionIntact(a: TestUser, d: Data) {
  const v = await a.caller.models.get({ id: d.versionId });
  expect(v.name).toBe("A secret model");
  expect(await artifacts().exists(modelKey(a.id, d.versionId, MODEL_FILES.onnx))).toBe(true);
}

async function taskIntact(a: TestUser, d: Data) {
  const t = await a.caller.training.get({ id: d.taskId });
  expect(t.runs.map((r) => r.status)).toEqual(["PENDING"]);
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "training.create",
    title: "B trains on A's uploaded dataset",
    setup: aData,
    attack: (b, d) =>
      b.training.create({
        name: "steal",
        datasetId: d.uploadDatasetId,
        split: "custom",
        trainCells: ["S0"],
        target: "pcl",
        features: ["temp_c"],
        algorithms: ["baseline"],
        epochs: 2,
      }),
    expect: "reject",
  },
  {
    procedure: "training.list",
    title: "B lists tasks and sees none of A's",
    ownerListsIt: true,
    setup: aData,
    attack: (b) => b.training.list(),
    expect: (result, d) => expect((result as { id: number }[]).map((t) => t.id)).not.toContain(d.taskId),
  },
  {
    procedure: "training.get",
    title: "B reads A's task",
    setup: aData,
    attack: (b, d) => b.training.get({ id: d.taskId }),
    expect: "reject",
  },
  {
    procedure: "training.cancel",
    title: "B cancels A's task",
    setup: aData,
    attack: (b, d) => b.training.cancel({ id: d.taskId }),
    expect: "reject",
    verifyIntact: taskIntact,
  },
  {
    procedure: "training.cancel",
    title: "B cancels one of A's runs",
    setup: aData,
    attack: (b, d) => b.training.cancel({ id: d.taskId, runId: d.runId }),
    expect: "reject",
    verifyIntact: taskIntact,
  },
  {
    procedure: "models.list",
    title: "B lists model versions (also filtered by A's task) and sees none of A's",
    ownerListsIt: true,
    setup: aData,
    attack: async (b, d) => [...(await b.models.list()), ...(await b.models.list({ taskId: d.taskId }))],
    expect: (result, d) => expect((result as { id: number }[]).map((v) => v.id)).not.toContain(d.versionId),
  },
  {
    procedure: "models.get",
    title: "B reads A's model version",
    setup: aData,
    attack: (b, d) => b.models.get({ id: d.versionId }),
    expect: "reject",
  },
  {
    procedure: "models.rename",
    title: "B renames A's model version",
    setup: aData,
    attack: (b, d) => b.models.rename({ id: d.versionId, name: "pwned" }),
    expect: "reject",
    verifyIntact: versionIntact,
  },
  {
    procedure: "models.delete",
    title: "B deletes A's model version",
    setup: aData,
    attack: (b, d) => b.models.delete({ id: d.versionId }),
    expect: "reject",
    verifyIntact: versionIntact,
  },
  {
    procedure: "models.downloadOnnx",
    title: "B downloads A's ONNX file",
    setup: aData,
    attack: (b, d) => b.models.downloadOnnx({ id: d.versionId }),
    expect: "reject",
  },
];
