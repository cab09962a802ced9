/**
 * Issue #23 item 8: a forecaster worse than seasonal naive on the held-out tail is flagged. On a
 * series whose daily profile flips (at point 800, before the held-out tail) "seasonal mean" (the
 * average of the past days) still mixes in the old profile and is really worse than repeating
 * the previous day; it is trained through the job table and
 * the models page (versions and comparison) and the forecast page must say so, with the two MASEs.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { startE2E, signedInContext, screenshot, type E2EEnv } from "./helpers.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";
import "../jobs/handlers/index.js";
import { startWorkerFor, prefixOwnJobs } from "../jobs/testing.js";
import type { Worker } from "../jobs/worker-runtime.js";
import { ENERGY_TRAIN_JOB } from "../server/services/energy/models.js";
import { EnergyModelVersion } from "../db/models/energy-model-version.js";

let env: E2EEnv;
let user: TestUser;
let worker: Worker;
let assetId: number;

/** 15-min points: a daily cycle whose profile flips at point 800, no noise. */
function flippingCsv(points: number): string {
  const start = Date.UTC(2024, 0, 1);
  const lines = ["time,kwh"];
  for (let i = 0; i < points; i++) {
    const ts = new Date(start + i * 900_000).toISOString().replace("T", " ").slice(0, 16);
    lines.push(`${ts},${(20 + (i < 800 ? 5 : -5) * Math.sin((2 * Math.PI * i) / 96)).toFixed(3)}`);
  }
  return lines.join("\n");
}

let jobPrefix: string;
beforeAll(async () => {
  jobPrefix = prefixOwnJobs("e2e-naive-warning");
  env = await startE2E();
  user = await createTestUser("e2e-naive");
  const r = await user.caller.energy.uploads.commit({
    fileName: "flipping.csv",
    contentBase64: Buffer.from(flippingCsv(1200)).toString("base64"),
    mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
    newAssetName: `flipping-${Math.random().toString(36).slice(2, 8)}`,
  });
  if (!r.ok) throw new Error(r.reasons.join("; "));
  assetId = r.assetId;
  worker = startWorkerFor([ENERGY_TRAIN_JOB], jobPrefix);
});
afterAll(async () => {
  await worker?.stop(1000);
  await env?.close();
  await closeDb();
});

describe("a forecaster worse than seasonal naive", () => {
  it("is flagged on the models page and the forecast page with both MASEs", async () => {
    const started = await user.caller.energyModels.train({ assetId, kind: "seasonal-mean" });
    let v = await EnergyModelVersion.query().findById(started.id);
    for (let i = 0; i < 300 && v && (v.status === "PENDING" || v.status === "RUNNING"); i++) {
      await new Promise((r) => setTimeout(r, 200));
      v = await EnergyModelVersion.query().findById(started.id);
    }
    expect(v?.status).toBe("SUCCEEDED");
    const m = v!.metrics as { mase: number; baseline: { mase: number } };
    expect(m.mase).toBeGreaterThan(m.baseline.mase); // really worse on this series

    const context = await signedInContext(env, user);
    const page = await context.newPage();
    await page.goto(`${env.baseUrl}/energy/models?asset=${assetId}`);
    await page.getByTestId("energy-version-row").first().waitFor();
    await page.getByTestId("energy-versions").getByTestId("naive-warning-badge").waitFor();
    await page.getByTestId("energy-comparison").getByTestId("naive-warning-badge").waitFor();
    expect(await page.getByTestId("comparison-baseline").getByTestId("naive-warning-badge").count()).toBe(0);
    await screenshot(page, "energy-naive-warning-models");

    await page.goto(`${env.baseUrl}/energy/forecast?version=${started.id}`);
    const alert = page.getByTestId("naive-warning");
    await alert.waitFor();
    const text = (await alert.textContent()) ?? "";
    expect(text).toContain(`held-out MASE ${m.mase.toFixed(3)} vs ${m.baseline.mase.toFixed(3)}`);
    await screenshot(page, "energy-naive-warning-forecast");
    await context.close();
  });
});
