import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { uploadKey } from "../services/battery/uploads.js";
import { artifacts } from "../storage/artifacts.js";

interface Data {
  userId: number;
  uploadId: number;
  datasetId: number;
  cellIds: number[];
  builtinId: number;
}

const CSV = "cell_id,cycle,temp_c,pcl,rul\nA1,1,30.1,0.01,3\nA1,2,30.4,0.02,2\nA1,3,30.2,0.03,1\nA1,4,30.9,0.04,0\n";

/** A's own upload (dataset + cells) and the built-in dataset's id. */
async function aUpload(a: TestUser): Promise<Data> {
  const r = await a.caller.battery.upload({
    fileName: "secret.csv",
    contentBase64: Buffer.from(CSV).toString("base64"),
    name: "A private",
  });
  if (!r.ok) throw new Error(`setup upload failed: ${JSON.stringify(r.problems)}`);
  const { cells } = await a.caller.battery.listCells({ datasetId: r.datasetId });
  const builtin = (await a.caller.battery.listDatasets()).find((d) => d.builtin)!;
  return {
    userId: a.id,
    uploadId: r.uploadId,
    datasetId: r.datasetId,
    cellIds: cells.map((c) => c.id),
    builtinId: builtin.id,
  };
}

async function aStillHas(a: TestUser, d: Data) {
  const ups = await a.caller.battery.listUploads();
  expect(ups.map((u) => u.id)).toContain(d.uploadId);
  expect((await a.caller.battery.listCells({ datasetId: d.datasetId })).cells.length).toBe(1);
  expect(await artifacts().exists(uploadKey(d.userId, d.uploadId, "source.csv"))).toBe(true);
}

async function builtinIntact(a: TestUser, d: Data) {
  const ds = await a.caller.battery.getDataset({ datasetId: d.builtinId });
  expect(ds.cellCount).toBe(124);
  expect((await a.caller.battery.listCells({ datasetId: d.builtinId })).cells.length).toBe(124);
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "battery.listDatasets",
    title: "B lists datasets: sees the built-in one, none of A's",
    ownerListsIt: true,
    setup: aUpload,
    attack: (b) => b.battery.listDatasets(),
    expect: (result, d) => {
      const ids = (result as { id: number }[]).map((x) => x.id);
      expect(ids).toContain(d.builtinId);
      expect(ids).not.toContain(d.datasetId);
    },
  },
  {
    procedure: "battery.coverage",
    title: "B reads the feature coverage of A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.coverage({ datasetId: d.datasetId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "battery.getDataset",
    title: "B reads A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.getDataset({ datasetId: d.datasetId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "battery.getDataset",
    title: "B reads the built-in dataset (allowed)",
    setup: aUpload,
    attack: (b, d) => b.battery.getDataset({ datasetId: d.builtinId }),
    expect: (result) => expect((result as { cellCount: number }).cellCount).toBe(124),
  },
  {
    procedure: "battery.listCells",
    title: "B lists the cells of A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.listCells({ datasetId: d.datasetId }),
    expect: "reject",
  },
  {
    procedure: "battery.listCells",
    title: "B lists the built-in cells (allowed)",
    setup: aUpload,
    attack: (b, d) => b.battery.listCells({ datasetId: d.builtinId }),
    expect: (result) => expect((result as { cells: unknown[] }).cells.length).toBe(124),
  },
  {
    procedure: "battery.presets",
    title: "B reads the presets of A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.presets({ datasetId: d.datasetId }),
    expect: "reject",
  },
  {
    procedure: "battery.analysis",
    title: "B analyses A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.analysis({ datasetId: d.datasetId, cellIds: d.cellIds }),
    expect: "reject",
  },
  {
    procedure: "battery.analysis",
    title: "B analyses A's cells through the built-in dataset's id",
    setup: aUpload,
    attack: (b, d) => b.battery.analysis({ datasetId: d.builtinId, cellIds: d.cellIds }),
    expect: "reject",
  },
  {
    procedure: "battery.trends",
    title: "B reads trends of A's cells",
    setup: aUpload,
    attack: (b, d) => b.battery.trends({ datasetId: d.datasetId, cellIds: d.cellIds, variable: "pcl" }),
    expect: "reject",
  },
  {
    procedure: "battery.scatter",
    title: "B reads a scatter of A's cells",
    setup: aUpload,
    attack: (b, d) => b.battery.scatter({ datasetId: d.datasetId, cellIds: d.cellIds, feature: "temp_c" }),
    expect: "reject",
  },
  {
    procedure: "battery.listUploads",
    title: "B lists uploads and sees none of A's",
    ownerListsIt: true,
    setup: aUpload,
    attack: (b) => b.battery.listUploads(),
    expect: (result, d) => expect((result as { id: number }[]).map((u) => u.id)).not.toContain(d.uploadId),
  },
  {
    procedure: "battery.upload",
    title: "B uploads: the dataset is B's, A's uploads are unchanged",
    setup: aUpload,
    attack: (b) => b.battery.upload({ fileName: "b.csv", contentBase64: Buffer.from(CSV).toString("base64") }),
    expect: (result, d) => {
      const r = result as { ok: boolean; datasetId: number };
      expect(r.ok).toBe(true);
      expect(r.datasetId).not.toBe(d.datasetId);
    },
    verifyIntact: async (a, d) => {
      const ups = await a.caller.battery.listUploads();
      expect(ups.filter((u) => u.originalName === "b.csv")).toEqual([]);
      await aStillHas(a, d);
    },
  },
  {
    procedure: "battery.deleteUpload",
    title: "B deletes A's upload",
    setup: aUpload,
    attack: (b, d) => b.battery.deleteUpload({ id: d.uploadId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "battery.deleteDataset",
    title: "B deletes A's dataset",
    setup: aUpload,
    attack: (b, d) => b.battery.deleteDataset({ datasetId: d.datasetId }),
    expect: "reject",
    verifyIntact: aStillHas,
  },
  {
    procedure: "battery.deleteDataset",
    title: "B deletes the built-in dataset (readable, not writable)",
    setup: aUpload,
    attack: (b, d) => b.battery.deleteDataset({ datasetId: d.builtinId }),
    expect: "reject",
    verifyIntact: builtinIntact,
  },
];
