/**
 * Battery and energy rows have independent ids: a battery model version and an energy model
 * version (or a battery and an energy upload) of one user can share an id. Their files must not
 * share a folder: deleting one must leave the other serving its forecasts / test jobs / file.
 * Ids are forced equal by moving both tables' AUTO_INCREMENT to the same fresh value.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { db, closeDb } from "../../db/db.js";
import "../../jobs/handlers/index.js";
import { testPrefix, waitFor, startWorkerFor } from "../../jobs/testing.js";
import { createTestUser, type TestUser } from "../testing/users.js";
import {
  builtinDatasetId,
  runTestJobToEnd,
  trainBaselineVersion,
  type TestWorker,
} from "../testing/battery-fixtures.js";
import { TRAIN_JOB } from "../services/training/tasks.js";
import { TEST_JOB } from "../services/testing/test-jobs.js";
import { ENERGY_TRAIN_JOB, startTraining, getVersion } from "../services/energy/models.js";
import { createSyntheticAsset, syntheticCsv } from "../testing/anomaly-fixtures.js";
import { uploadKey as energyUploadKey } from "../services/energy/storage.js";
import { uploadKey as batteryUploadKey } from "../services/battery/uploads.js";
import { artifacts } from "./artifacts.js";

let user: TestUser;
let w: TestWorker;
let assetId: number;

beforeAll(async () => {
  user = await createTestUser("domain-keys");
  const prefix = testPrefix("domain-keys");
  const worker = startWorkerFor([TRAIN_JOB, TEST_JOB, ENERGY_TRAIN_JOB], prefix, { heartbeatMs: 500 });
  w = { prefix, worker, stop: () => worker.stop(1000) };
  assetId = await createSyntheticAsset(user, 1000);
});

afterAll(async () => {
  await w?.stop();
  await closeDb();
});

/**
 * Creates one row in each of two tables with the same id: both AUTO_INCREMENTs move to a fresh
 * value first. Another test inserting in between shifts one id; then it tries again.
 */
async function sameId(tables: [string, string], make: [() => Promise<number>, () => Promise<number>]): Promise<number> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const maxes = await Promise.all(tables.map(async (t) => Number((await db()(t).max({ m: "id" }))[0].m ?? 0)));
    const next = Math.max(...maxes) + 100 + Math.floor(Math.random() * 100);
    for (const t of tables) await db().raw(`ALTER TABLE ?? AUTO_INCREMENT = ${next}`, [t]);
    const a = await make[0]();
    const b = await make[1]();
    if (a === b) return a;
  }
  throw new Error(`could not give a row of ${tables.join(" and ")} the same id`);
}

async function trainEnergy(): Promise<number> {
  const v = await startTraining(
    user.id,
    { assetId, kind: "gbdt", lookback: 96, horizon: 4, epochs: 20, learningRate: 0.3 },
    { jobNamePrefix: w.prefix },
  );
  const done = await waitFor(
    `energy version ${v.id}`,
    async () => {
      const g = await getVersion(user.id, v.id);
      return g.status === "SUCCEEDED" || g.status === "FAILED" ? g : null;
    },
    120_000,
    200,
  );
  expect(done.status, JSON.stringify(done)).toBe("SUCCEEDED");
  return v.id;
}

describe("files keyed by domain", () => {
  it("deleting a battery version leaves the energy version with the same id forecasting", async () => {
    const id = await sameId(
      ["model_versions", "energy_model_versions"],
      [() => trainBaselineVersion(user.id, w), trainEnergy],
    );
    await user.caller.models.delete({ id });
    const f = await user.caller.energyModels.forecast({ id });
    expect(f.versionId).toBe(id);
    expect(f.forecast).toHaveLength(4);
    expect(f.forecast.every((p) => Number.isFinite(p.q50))).toBe(true);
  });

  it("deleting an energy version leaves the battery version with the same id testing", async () => {
    const id = await sameId(
      ["model_versions", "energy_model_versions"],
      [() => trainBaselineVersion(user.id, w), trainEnergy],
    );
    await user.caller.energyModels.delete({ id });
    const t = await runTestJobToEnd(user.id, w, {
      versionId: id,
      datasetId: await builtinDatasetId(),
      cellKeys: ["124"],
      targets: ["pcl", "rul"],
    });
    expect(t.status, t.error ?? "").toBe("SUCCEEDED");
    expect(t.result!.samples).toBeGreaterThan(100);
    expect((await user.caller.models.downloadOnnx({ id })).bytes).toBeGreaterThan(1000);
  });

  it("deleting a battery upload leaves the energy upload with the same id and its file", async () => {
    const csv = "cell_id,cycle,temp_c,pcl\nA,1,30,0.01\nA,2,31,0.02\nA,3,30,0.03\n";
    const energyCsv = syntheticCsv(200);
    const id = await sameId(
      ["battery_uploads", "energy_uploads"],
      [
        async () => {
          const r = await user.caller.battery.upload({
            fileName: "cells.csv",
            contentBase64: Buffer.from(csv).toString("base64"),
          });
          if (!r.ok) throw new Error(JSON.stringify(r.problems));
          return r.uploadId;
        },
        async () => {
          const r = await user.caller.energy.uploads.commit({
            fileName: "kwh.csv",
            contentBase64: Buffer.from(energyCsv).toString("base64"),
            mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
            newAssetName: `domain-keys-${Date.now()}`,
          });
          if (!r.ok) throw new Error(r.reasons.join("; "));
          return r.uploadId;
        },
      ],
    );
    await user.caller.battery.deleteUpload({ id });
    expect((await artifacts().get(energyUploadKey(user.id, id, `energy-${id}.csv`))).toString()).toBe(energyCsv);
    expect(await artifacts().exists(batteryUploadKey(user.id, id, "source.csv"))).toBe(false);
  });
});
