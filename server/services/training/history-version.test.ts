/**
 * A history-aware version end to end: trained through the training service (createTask → worker
 * → createVersion), then tested on cells it never saw through a real test job (onnxruntime-node).
 * The test job must build the same history inputs (observed PCL and trend, ΔQ₁₀₀₋₁₀ from cycle 100)
 * as training did, else the ONNX graph's input width would not match.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { closeDb } from "../../../db/db.js";
import { ModelVersion } from "../../../db/models/model-version.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import {
  builtinDatasetId,
  runTestJobToEnd,
  startTestWorker,
  trainBaselineVersion,
  type TestWorker,
} from "../../testing/battery-fixtures.js";

let w: TestWorker;
let user: TestUser;

beforeAll(async () => {
  user = await createTestUser("history-version");
  w = startTestWorker("history-version");
});

afterAll(async () => {
  await w?.stop();
  await closeDb();
});

describe("history-aware model versions", () => {
  it("a history-aware RUL version is tested on unseen cells with the same inputs it trained on, anchors from cycle 100", async () => {
    const versionId = await trainBaselineVersion(user.id, w, {
      target: "rul",
      historyWindow: 50,
      historyPcl: true,
      earlyLife: ["dq_logvar", "dq_logmin"],
    });
    const v = await ModelVersion.query().findById(versionId);
    expect((v!.config as { inputNames: string[] }).inputNames).toEqual([
      "kong_slope",
      "kong_intercept",
      "tavg_c",
      "pcl_observed",
      "pcl_trend_50",
      "dq_logvar",
      "dq_logmin",
      "cycle",
    ]);
    const datasetId = await builtinDatasetId();
    const job = await runTestJobToEnd(user.id, w, {
      versionId,
      datasetId,
      cellKeys: ["85", "90", "124"],
      targets: ["rul"],
    });
    expect(job.status, job.error ?? "").toBe("SUCCEEDED");
    const cells = job.result!.cells;
    expect(cells.map((c) => c.cellKey)).toEqual(["85", "90", "124"]);
    for (const c of cells) {
      expect(c.n).toBeGreaterThan(300);
      expect(c.metrics.rul!.rmse).toBeGreaterThan(0);
    }
  }, 120_000);
});
