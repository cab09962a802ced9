import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { db } from "../../db/db.js";
import { BUILTIN_STEEL_NAME } from "../services/energy/types.js";

interface Data {
  assetId: number;
  uploadId: number;
  name: string;
  builtinId: number;
}

const CSV = "time,kwh\n2024-01-01 00:00,1\n2024-01-01 00:15,2\n2024-01-01 00:30,3\n";
const file = { fileName: "a.csv", contentBase64: Buffer.from(CSV).toString("base64") };
const mapping = { timestampColumn: "time", targetColumn: "kwh", covariates: [] };

/** A's own asset with one upload, plus the built-in Steel asset's id. */
async function setup(a: TestUser): Promise<Data> {
  const name = `a-asset-${Math.random().toString(36).slice(2, 10)}`;
  const r = await a.caller.energy.uploads.commit({ ...file, mapping, newAssetName: name });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  const builtin = await db()("energyAssets").whereNull("userId").where({ name: BUILTIN_STEEL_NAME }).first();
  return { assetId: r.assetId, uploadId: r.uploadId, name, builtinId: builtin.id };
}

async function intact(a: TestUser, d: Data) {
  const got = await a.caller.energy.assets.get({ id: d.assetId });
  expect(got.asset.name).toBe(d.name);
  expect(got.stats.points).toBe(3);
  expect(got.uploads.map((u) => u.id)).toEqual([d.uploadId]);
}

async function builtinIntact(_a: TestUser, d: Data) {
  const row = await db()("energyAssets").where({ id: d.builtinId }).first();
  expect(row.name).toBe(BUILTIN_STEEL_NAME);
  expect(row.pointCount).toBe(35_040);
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "energy.assets.list",
    title: "B lists assets: built-in ones (read-only) but none of A's",
    ownerListsIt: true,
    setup,
    attack: (b) => b.energy.assets.list(),
    expect: (result, d) => {
      const rows = result as { id: number; readOnly: boolean }[];
      expect(rows.map((r) => r.id)).not.toContain(d.assetId);
      expect(rows.find((r) => r.id === d.builtinId)?.readOnly).toBe(true);
    },
  },
  {
    procedure: "energy.assets.get",
    title: "B reads A's asset",
    setup,
    attack: (b, d) => b.energy.assets.get({ id: d.assetId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "energy.assets.get",
    title: "B reads a built-in asset",
    setup,
    attack: (b, d) => b.energy.assets.get({ id: d.builtinId }),
    expect: (result) => expect((result as { asset: { readOnly: boolean } }).asset.readOnly).toBe(true),
  },
  {
    procedure: "energy.assets.series",
    title: "B reads A's series",
    setup,
    attack: (b, d) => b.energy.assets.series({ id: d.assetId, range: "all" }),
    expect: "reject",
  },
  {
    procedure: "energy.assets.series",
    title: "B reads a day of the built-in series",
    setup,
    attack: (b, d) => b.energy.assets.series({ id: d.builtinId, range: "1d" }),
    expect: (result) => expect((result as { t: number[] }).t.length).toBe(96),
  },
  {
    procedure: "energy.assets.evaluateBaseline",
    title: "B evaluates A's asset",
    setup,
    attack: (b, d) => b.energy.assets.evaluateBaseline({ id: d.assetId }),
    expect: "reject",
  },
  {
    procedure: "energy.assets.rename",
    title: "B renames A's asset",
    setup,
    attack: (b, d) => b.energy.assets.rename({ id: d.assetId, name: "pwned" }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "energy.assets.rename",
    title: "B renames a built-in asset",
    setup,
    attack: (b, d) => b.energy.assets.rename({ id: d.builtinId, name: "pwned" }),
    expect: "reject",
    verifyIntact: builtinIntact,
  },
  {
    procedure: "energy.assets.delete",
    title: "B deletes A's asset",
    setup,
    attack: (b, d) => b.energy.assets.delete({ id: d.assetId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "energy.assets.delete",
    title: "B deletes a built-in asset",
    setup,
    attack: (b, d) => b.energy.assets.delete({ id: d.builtinId }),
    expect: "reject",
    verifyIntact: builtinIntact,
  },
  {
    procedure: "energy.assets.create",
    title: "B creates an asset with A's asset name: it is B's, A's is unchanged",
    setup,
    attack: (b, d) => b.energy.assets.create({ name: d.name }),
    expect: (result, d) => expect((result as { id: number; builtIn: boolean }).id).not.toBe(d.assetId),
    verifyIntact: intact,
  },
  {
    procedure: "energy.uploads.commit",
    title: "B uploads into A's asset",
    setup,
    attack: (b, d) => b.energy.uploads.commit({ ...file, mapping, assetId: d.assetId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "energy.uploads.commit",
    title: "B uploads into a built-in asset",
    setup,
    attack: (b, d) => b.energy.uploads.commit({ ...file, mapping, assetId: d.builtinId }),
    expect: "reject",
    verifyIntact: builtinIntact,
  },
  {
    procedure: "energy.uploads.inspect",
    title: "B inspects a file: it sees only its own file's columns, nothing is stored",
    setup,
    attack: (b) => b.energy.uploads.inspect(file),
    expect: (result) => expect((result as { rowCount: number }).rowCount).toBe(3),
    verifyIntact: intact,
  },
  {
    procedure: "energy.uploads.list",
    title: "B lists uploads, also filtered by A's asset: none of A's",
    ownerListsIt: true,
    setup,
    attack: async (b, d) => [
      ...(await b.energy.uploads.list()),
      ...(await b.energy.uploads.list({ assetId: d.assetId })),
    ],
    expect: (result, d) => expect((result as { id: number }[]).map((u) => u.id)).not.toContain(d.uploadId),
  },
];
