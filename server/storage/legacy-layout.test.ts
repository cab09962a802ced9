/**
 * The upgrade step on a data folder written the old way ({userId}/models|uploads|exports/{id}/),
 * with database rows for each file: every file ends up at its domain key with its bytes, nothing
 * is lost, a second run changes nothing.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { db, closeDb } from "../../db/db.js";
import { createTestUser, type TestUser } from "../testing/users.js";
import { artifactKey, LocalArtifactStore } from "./artifacts.js";
import { migrateLegacyLayout } from "./legacy-layout.js";

let user: TestUser;
let root: string;

beforeAll(async () => {
  user = await createTestUser("legacy-layout");
  root = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-legacy-"));
});
afterAll(async () => {
  fs.rmSync(root, { recursive: true, force: true });
  await closeDb();
});

/** An id free in both tables (the old layout's clash needs the same id on both sides). */
async function freeId(a: string, b: string): Promise<number> {
  const [x] = await db()(a).max({ m: "id" });
  const [y] = await db()(b).max({ m: "id" });
  return Math.max(Number(x.m ?? 0), Number(y.m ?? 0)) + 1000 + Math.floor(Math.random() * 1000);
}

async function batteryVersion(id: number) {
  const j = (v: unknown) => JSON.stringify(v);
  await db()("modelVersions").insert({
    id,
    userId: user.id,
    name: `legacy ${id}`,
    algorithm: "baseline",
    target: "pcl",
    datasetName: "x",
    bestEpoch: 1,
    config: j({}),
    lineage: j({}),
    metrics: j({}),
    history: j([]),
  });
}
async function energyVersion(id: number, assetId: number) {
  await db()("energyModelVersions").insert({
    id,
    userId: user.id,
    assetId,
    kind: "gbdt",
    status: "SUCCEEDED",
    config: JSON.stringify({ request: {} }),
  });
}

describe("moving an old-layout data folder to domain keys", () => {
  it("moves every claimed file to its domain key, splits a clashing models folder, keeps unclaimed files, and is idempotent", async () => {
    const k = db();
    const [assetId] = await k("energyAssets").insert({
      userId: user.id,
      name: `legacy-${Date.now()}`,
      source: "user",
      covariates: "[]",
    });
    const shared = await freeId("model_versions", "energy_model_versions"); // both kinds of version
    const batteryOnly = shared + 1;
    const energyOnly = shared + 2;
    await batteryVersion(shared);
    await energyVersion(shared, assetId);
    await batteryVersion(batteryOnly);
    await energyVersion(energyOnly, assetId);
    const upload = await freeId("battery_uploads", "energy_uploads"); // a battery and an energy upload with the same id
    await k("batteryUploads").insert({
      id: upload,
      userId: user.id,
      originalName: "cells.csv",
      storedName: "source.csv",
      format: "csv",
      sizeBytes: 5,
      rowCount: 1,
      cellCount: 1,
    });
    await k("energyUploads").insert({
      id: upload,
      userId: user.id,
      assetId,
      originalName: "kwh.csv",
      storedName: `energy-${upload}.csv`,
      format: "csv",
      sizeBytes: 5,
      rowCount: 1,
      pointsAdded: 1,
      mapping: "{}",
      report: "{}",
    });

    const u = user.id;
    const old: Record<string, string> = {
      // The shared folder as the old code left it: battery wrote last (its config carries versionId).
      [`${u}/models/${shared}/checkpoint.pt`]: "battery checkpoint",
      [`${u}/models/${shared}/model.onnx`]: "battery onnx",
      [`${u}/models/${shared}/config.json`]: JSON.stringify({ versionId: shared, model: { kind: "baseline" } }),
      [`${u}/models/${shared}/xgboost-q0.json`]: "energy xgboost",
      [`${u}/models/${batteryOnly}/model.onnx`]: "battery-only onnx",
      [`${u}/models/${energyOnly}/model.onnx`]: "energy-only onnx",
      [`${u}/models/${energyOnly}/config.json`]: JSON.stringify({ kind: "gbdt" }),
      [`${u}/uploads/${upload}/source.csv`]: "battery upload",
      [`${u}/uploads/${upload}/energy-${upload}.csv`]: "energy upload",
      [`${u}/uploads/detection-77/abc.csv`]: "detection input",
      [`${u}/exports/detection-77/points.json`]: "[]",
      [`${u}/exports/4242/result.csv`]: "test export",
      [`${u}/models/999999999/model.onnx`]: "no row claims this",
    };
    for (const [key, content] of Object.entries(old)) {
      fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
      fs.writeFileSync(path.join(root, key), content);
    }
    const expected: Record<string, string> = {
      [artifactKey(u, "battery-models", shared, "checkpoint.pt")]: old[`${u}/models/${shared}/checkpoint.pt`],
      [artifactKey(u, "battery-models", shared, "model.onnx")]: old[`${u}/models/${shared}/model.onnx`],
      [artifactKey(u, "battery-models", shared, "config.json")]: old[`${u}/models/${shared}/config.json`],
      [artifactKey(u, "energy-models", shared, "xgboost-q0.json")]: old[`${u}/models/${shared}/xgboost-q0.json`],
      [artifactKey(u, "battery-models", batteryOnly, "model.onnx")]: old[`${u}/models/${batteryOnly}/model.onnx`],
      [artifactKey(u, "energy-models", energyOnly, "model.onnx")]: old[`${u}/models/${energyOnly}/model.onnx`],
      [artifactKey(u, "energy-models", energyOnly, "config.json")]: old[`${u}/models/${energyOnly}/config.json`],
      [artifactKey(u, "battery-uploads", upload, "source.csv")]: "battery upload",
      [artifactKey(u, "energy-uploads", upload, `energy-${upload}.csv`)]: "energy upload",
      [artifactKey(u, "detections", 77, "abc.csv")]: "detection input",
      [artifactKey(u, "detections", 77, "points.json")]: "[]",
      [artifactKey(u, "test-exports", 4242, "result.csv")]: "test export",
      [`${u}/models/999999999/model.onnx`]: "no row claims this",
    };

    const store = new LocalArtifactStore(root);
    const first = await migrateLegacyLayout(store, k);
    expect(first.moved).toBe(12);
    expect(first.unclaimed).toEqual([`${u}/models/999999999/model.onnx`]);
    expect(first.clashes).toHaveLength(2);
    expect(first.clashes.every((c) => c.endsWith("kept for the battery version"))).toBe(true);

    const second = await migrateLegacyLayout(store, k);
    expect(second).toEqual({ moved: 0, unclaimed: [`${u}/models/999999999/model.onnx`], clashes: [] });

    const files = await store.list(String(u));
    expect(files).toEqual(Object.keys(expected).sort());
    for (const [key, content] of Object.entries(expected)) expect((await store.get(key)).toString(), key).toBe(content);
    // The old folders are gone, except the unclaimed file's.
    expect(fs.readdirSync(path.join(root, String(u))).sort()).toEqual([
      "battery-models",
      "battery-uploads",
      "detections",
      "energy-models",
      "energy-uploads",
      "models",
      "test-exports",
    ]);
  });

  it("a run stopped half-way finishes on the next run", async () => {
    const k = db();
    const id = await freeId("model_versions", "energy_model_versions");
    await batteryVersion(id);
    const u = user.id;
    const store = new LocalArtifactStore(root);
    // Half-way: one file already at its new key, the other still at the old one.
    await store.put(artifactKey(u, "battery-models", id, "model.onnx"), "onnx");
    fs.mkdirSync(path.join(root, `${u}/models/${id}`), { recursive: true });
    fs.writeFileSync(path.join(root, `${u}/models/${id}/config.json`), "{}");
    const r = await migrateLegacyLayout(store, k);
    expect(r.moved).toBe(1);
    expect(await store.list(artifactKey(u, "battery-models", id))).toEqual([
      artifactKey(u, "battery-models", id, "config.json"),
      artifactKey(u, "battery-models", id, "model.onnx"),
    ]);
  });
});
