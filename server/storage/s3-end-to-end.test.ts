/**
 * One battery train + test job end to end on the S3 backend: the web side and an in-process
 * worker configured with S3_* (s3rver on loopback, a bucket that does not exist yet) and an
 * empty DATA_DIR. Model files and exports land in the bucket, nothing on the local disk, and the
 * export download streams from the bucket. The settings are set before any module reads env().
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { startTestS3 } from "../testing/s3.js";

const s3 = await startTestS3();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-s3-e2e-"));
Object.assign(process.env, s3.env, { DATA_DIR: dataDir });

const { closeDb } = await import("../../db/db.js");
const { createTestUser } = await import("../testing/users.js");
const { startTestServer } = await import("../testing/server.js");
const { builtinDatasetId, runTestJobToEnd, startTestWorker, trainBaselineVersion } =
  await import("../testing/battery-fixtures.js");
const { artifacts, artifactKey, S3ArtifactStore } = await import("./artifacts.js");

type W = ReturnType<typeof startTestWorker>;
let w: W;

beforeAll(() => {
  w = startTestWorker("s3-e2e");
});

afterAll(async () => {
  await w?.stop();
  await closeDb();
  await s3.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe("battery training and testing on the S3 backend", () => {
  it("trains a version and runs a test job with every file in the bucket; the export downloads from it", async () => {
    expect(artifacts().description).toBe(`s3 ${s3.settings.bucket}@${s3.settings.endpoint}`);
    const user = await createTestUser("s3-e2e");
    const versionId = await trainBaselineVersion(user.id, w);
    const t = await runTestJobToEnd(user.id, w, {
      versionId,
      datasetId: await builtinDatasetId(),
      cellKeys: ["124"],
      targets: ["pcl", "rul"],
    });
    expect(t.status, t.error ?? "").toBe("SUCCEEDED");
    expect(t.result!.samples).toBeGreaterThan(100);

    // Read straight from the bucket with a second client: the files are there, and only there.
    const bucket = new S3ArtifactStore(s3.settings);
    expect(await bucket.list(artifactKey(user.id, "battery-models", versionId))).toEqual(
      ["checkpoint.pt", "config.json", "model.onnx"].map((n) => artifactKey(user.id, "battery-models", versionId, n)),
    );
    expect(await bucket.list(artifactKey(user.id, "test-exports", t.id))).toEqual(
      ["result.csv", "result.xlsx"].map((n) => artifactKey(user.id, "test-exports", t.id, n)),
    );
    expect(fs.readdirSync(dataDir, { recursive: true })).toEqual([]);

    const server = await startTestServer({ withRemix: false });
    try {
      const res = await fetch(`${server.url}/api/exports/${t.id}/result.csv`, {
        headers: { authorization: `Bearer ${user.apiKey}` },
      });
      expect(res.status).toBe(200);
      const body = await res.text();
      expect(body).toBe((await bucket.get(artifactKey(user.id, "test-exports", t.id, "result.csv"))).toString());
      expect(body.split("\n").length).toBeGreaterThan(2 * t.result!.samples);
      const onnx = await bucket.get(artifactKey(user.id, "battery-models", versionId, "model.onnx"));
      expect((await user.caller.models.downloadOnnx({ id: versionId })).bytes).toBe(onnx.length);
      const dl = await fetch(`${server.url}/api/models/${versionId}/model.onnx`, {
        headers: { authorization: `Bearer ${user.apiKey}` },
      });
      expect(dl.status).toBe(200);
      expect(dl.headers.get("content-disposition")).toContain(`voltlab-model-${versionId}-baseline-`);
      expect(Buffer.from(await dl.arrayBuffer()).equals(onnx)).toBe(true);
      const other = await createTestUser("s3-e2e-other");
      expect(
        (
          await fetch(`${server.url}/api/models/${versionId}/model.onnx`, {
            headers: { authorization: `Bearer ${other.apiKey}` },
          })
        ).status,
      ).toBe(404);
      expect((await fetch(`${server.url}/api/models/${versionId}/model.onnx`)).status).toBe(401);
    } finally {
      await server.close();
    }
  });
});
