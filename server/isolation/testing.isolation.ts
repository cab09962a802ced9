import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { finishedTestJobFor } from "../testing/battery-fixtures.js";
import { artifacts } from "../storage/artifacts.js";
import { exportKey } from "../services/testing/exports.js";

interface Data {
  userId: number;
  versionId: number;
  testJobId: number;
  datasetId: number;
}

/** A's trained Baseline and a finished test job (made once per user, then reused). */
async function aTestJob(a: TestUser): Promise<Data> {
  return { userId: a.id, ...(await finishedTestJobFor(a.id)) };
}

async function aStillHas(a: TestUser, d: Data) {
  const t = await a.caller.testJobs.get({ id: d.testJobId });
  expect(t.status).toBe("SUCCEEDED");
  expect(t.result!.cells).toHaveLength(1);
  expect(await artifacts().exists(exportKey(d.userId, d.testJobId, "xlsx"))).toBe(true);
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "testJobs.create",
    title: "B tests A's model version",
    setup: aTestJob,
    attack: (b, d) =>
      b.testJobs.create({ versionId: d.versionId, datasetId: d.datasetId, cellKeys: ["124"], targets: ["pcl"] }),
    expect: "reject",
    verifyIntact: async (a, d) => expect((await a.caller.testJobs.list()).map((t) => t.id)).toContain(d.testJobId),
  },
  {
    procedure: "testJobs.list",
    title: "B lists test jobs: none of A's",
    ownerListsIt: true,
    setup: aTestJob,
    attack: (b) => b.testJobs.list(),
    expect: (result, d) => expect((result as { id: number }[]).map((t) => t.id)).not.toContain(d.testJobId),
  },
  {
    procedure: "testJobs.get",
    title: "B reads A's test job",
    setup: aTestJob,
    attack: (b, d) => b.testJobs.get({ id: d.testJobId }),
    expect: "reject",
  },
  {
    procedure: "testJobs.cell",
    title: "B reads a cell's predictions of A's test job",
    setup: aTestJob,
    attack: (b, d) => b.testJobs.cell({ id: d.testJobId, cellKey: "124" }),
    expect: "reject",
  },
  {
    procedure: "testJobs.residuals",
    title: "B reads the residuals of A's test job",
    setup: aTestJob,
    attack: (b, d) => b.testJobs.residuals({ id: d.testJobId, target: "pcl" }),
    expect: "reject",
  },
  {
    procedure: "testJobs.cancel",
    title: "B cancels A's test job",
    setup: aTestJob,
    attack: (b, d) => b.testJobs.cancel({ id: d.testJobId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "testJobs.delete",
    title: "B deletes A's test job",
    setup: aTestJob,
    attack: (b, d) => b.testJobs.delete({ id: d.testJobId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
];
