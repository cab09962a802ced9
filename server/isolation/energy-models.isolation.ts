import { expect } from "vitest";
import type { IsolationCase } from "./types.js";
import type { TestUser } from "../testing/users.js";
import { db } from "../../db/db.js";
import { EnergyModelVersion } from "../../db/models/energy-model-version.js";
import { BUILTIN_STEEL_NAME } from "../services/energy/types.js";

interface Data {
  assetId: number;
  versionId: number;
  builtinId: number;
  builtinVersionId: number;
}

const CSV = "time,kwh\n2024-01-01 00:00,1\n2024-01-01 00:15,2\n2024-01-01 00:30,3\n";
const file = { fileName: "a.csv", contentBase64: Buffer.from(CSV).toString("base64") };
const mapping = { timestampColumn: "time", targetColumn: "kwh", covariates: [] };
const request = {
  kind: "gbdt",
  lookback: 8,
  horizon: 4,
  quantiles: [0.1, 0.5, 0.9],
  epochs: 5,
  learningRate: 0.3,
  seed: 0,
};

/** A's asset with a (ready) version row, and A's version of the built-in Steel asset. */
async function setup(a: TestUser): Promise<Data> {
  const r = await a.caller.energy.uploads.commit({
    ...file,
    mapping,
    newAssetName: `a-em-${Math.random().toString(36).slice(2, 10)}`,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  const builtin = await db()("energyAssets").whereNull("userId").where({ name: BUILTIN_STEEL_NAME }).first();
  const row = (assetId: number) => ({
    userId: a.id,
    assetId,
    kind: "gbdt" as const,
    status: "SUCCEEDED" as const,
    config: { request },
    metrics: { mase: 0.5, baseline: { mase: 1 } },
    history: [],
    trainSeconds: 1,
    error: null,
    jobId: null,
  });
  const v = await EnergyModelVersion.query().insertAndFetch(row(r.assetId));
  const bv = await EnergyModelVersion.query().insertAndFetch(row(builtin.id));
  return { assetId: r.assetId, versionId: v.id, builtinId: builtin.id, builtinVersionId: bv.id };
}

async function intact(a: TestUser, d: Data) {
  const got = await a.caller.energyModels.get({ id: d.versionId });
  expect(got.status).toBe("SUCCEEDED");
  const list = await a.caller.energyModels.list({ assetId: d.builtinId });
  expect(list.map((v) => v.id)).toContain(d.builtinVersionId);
}

export const cases: IsolationCase<Data>[] = [
  {
    procedure: "energyModels.train",
    title: "B trains a model on A's asset",
    setup,
    attack: (b, d) => b.energyModels.train({ ...request, kind: "gbdt", assetId: d.assetId }),
    expect: "reject",
    verifyIntact: intact,
  },
  {
    procedure: "energyModels.list",
    title: "B lists the versions of A's asset",
    setup,
    attack: (b, d) => b.energyModels.list({ assetId: d.assetId }),
    expect: "reject",
  },
  {
    procedure: "energyModels.list",
    title: "B lists versions (all, and of the built-in asset): none of A's",
    ownerListsIt: true,
    setup,
    attack: async (b, d) => [
      ...(await b.energyModels.list({})),
      ...(await b.energyModels.list({ assetId: d.builtinId })),
    ],
    expect: (result, d) => {
      const ids = (result as { id: number }[]).map((v) => v.id);
      expect(ids).not.toContain(d.versionId);
      expect(ids).not.toContain(d.builtinVersionId);
    },
  },
  {
    procedure: "energyModels.get",
    title: "B reads A's version",
    setup,
    attack: (b, d) => b.energyModels.get({ id: d.versionId }),
    expect: "reject",
  },
  {
    procedure: "energyModels.compare",
    title: "B compares the versions of A's asset",
    setup,
    attack: (b, d) => b.energyModels.compare({ assetId: d.assetId }),
    expect: "reject",
  },
  {
    procedure: "energyModels.compare",
    title: "B compares versions of the built-in asset: none of A's",
    ownerListsIt: true,
    setup,
    attack: (b, d) => b.energyModels.compare({ assetId: d.builtinId }),
    expect: (result, d) =>
      expect((result as { id: number | null }[]).map((r) => r.id)).not.toContain(d.builtinVersionId),
  },
  {
    procedure: "energyModels.forecast",
    title: "B forecasts with A's version of the built-in asset",
    setup,
    attack: (b, d) => b.energyModels.forecast({ id: d.builtinVersionId }),
    expect: "reject",
  },
  {
    procedure: "energyModels.forecastFromFile",
    title: "B forecasts from a file with A's version",
    setup,
    attack: (b, d) => b.energyModels.forecastFromFile({ id: d.versionId, ...file }),
    expect: "reject",
  },
  {
    procedure: "energyModels.forecastCsv",
    title: "B downloads a forecast of A's version",
    setup,
    attack: (b, d) => b.energyModels.forecastCsv({ id: d.versionId }),
    expect: "reject",
  },
  {
    procedure: "energyModels.delete",
    title: "B deletes A's version",
    setup,
    attack: (b, d) => b.energyModels.delete({ id: d.builtinVersionId }),
    expect: "reject",
    verifyIntact: intact,
  },
];
