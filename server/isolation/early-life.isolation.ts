import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { createEarlyLifeTask } from "../services/early-life/tasks.js";

interface Data {
  taskId: number;
  uploadDatasetId: number;
}

const CSV = "cell_id,cycle,temp_c,pcl,rul\nA1,1,30.1,0.01,3\nA1,2,30.4,0.02,2\nA1,3,30.2,0.03,1\nA1,4,30.9,0.04,0\n";
// No worker serves these job names: A's task stays pending, which is all the attempts need.
const prefix = `isolation-early-life-${process.pid}-`;

/** A's early-life task on the built-in dataset and A's own uploaded dataset. */
async function aTask(a: TestUser): Promise<Data> {
  const builtin = (await a.caller.battery.listDatasets()).find((d) => d.builtin)!;
  const t = await createEarlyLifeTask(
    a.id,
    { name: "A secret early-life", datasetId: builtin.id, featureSet: "variance" },
    { jobNamePrefix: prefix },
  );
  const up = await a.caller.battery.upload({
    fileName: "secret.csv",
    contentBase64: Buffer.from(CSV).toString("base64"),
    name: "A private",
  });
  if (!up.ok) throw new Error("setup upload failed");
  return { taskId: t.id, uploadDatasetId: up.datasetId };
}

async function aStillHas(a: TestUser, d: Data) {
  const t = await a.caller.earlyLife.get({ id: d.taskId });
  expect(t.name).toBe("A secret early-life");
  expect(t.status).toBe("PENDING");
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "earlyLife.create",
    title: "B starts an early-life task on A's uploaded dataset",
    setup: aTask,
    attack: (b, d) =>
      b.earlyLife.create({
        name: "steal",
        datasetId: d.uploadDatasetId,
        split: "custom",
        trainCells: ["A1", "A1b", "c", "d", "e"],
        testCells: ["x"],
      }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "earlyLife.get",
    title: "B reads A's early-life task",
    setup: aTask,
    attack: (b, d) => b.earlyLife.get({ id: d.taskId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "earlyLife.list",
    title: "B lists early-life tasks: none of A's",
    ownerListsIt: true,
    setup: aTask,
    attack: (b) => b.earlyLife.list(),
    expect: (result, d) => expect((result as { id: number }[]).map((t) => t.id)).not.toContain(d.taskId),
  },
  {
    procedure: "earlyLife.cancel",
    title: "B cancels A's early-life task",
    setup: aTask,
    attack: (b, d) => b.earlyLife.cancel({ id: d.taskId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "earlyLife.export",
    title: "B exports A's early-life task",
    setup: aTask,
    attack: (b, d) => b.earlyLife.export({ id: d.taskId, format: "csv" }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
];
