/**
 * Auto training and the calibrated band through every path that serves a version.
 * One synthetic 15-min asset (a daily sine + noise, 1200 points): Auto with the derived
 * defaults (L = 288, H = 96) through the energy.train job, then
 *  - the version carries the candidates' comparison and the conformal offsets;
 *  - the forecast page (forecastLatest), the CSV, the exported model.onnx run in a fresh
 *    onnxruntime session, calibratedQuantiles (what anomaly code calls) and oneStepForecasts
 *    (batch detection and real-time scoring) give the same calibrated quantiles;
 *  - the calibration moves a fitted model's band by the stored offsets × each window's scale
 *    (band-scale.ts) and brings validation coverage to 0.8.
 */
import * as ort from "onnxruntime-node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { closeDb } from "../../../db/db.js";
import { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import "../../../jobs/handlers/index.js";
import { testPrefix, waitFor, startWorkerFor } from "../../../jobs/testing.js";
import type { Worker } from "../../../jobs/worker-runtime.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { createSyntheticAsset } from "../../testing/anomaly-fixtures.js";
import { oneStepForecasts } from "../anomaly/residuals.js";
import { effectiveScale, windowScale } from "./band-scale.js";
import { calendarFeatures } from "./calendar.js";
import {
  buildMatrices,
  prepareTraining,
  trainForecaster,
  windowForecasts,
  type ForecasterConfig,
} from "./forecasting.js";
import { ENERGY_TRAIN_JOB, forecastCsv, forecastLatest, getVersion, startTraining } from "./models.js";
import { calibratedQuantiles, forecasterFor } from "./sessions.js";
import { loadSeries, sliceSeries } from "./series.js";

let user: TestUser;
let worker: Worker;
let prefix: string;
let assetId: number;
let versionId: number;

beforeAll(async () => {
  user = await createTestUser("forecast-paths");
  prefix = testPrefix("forecast-paths");
  worker = startWorkerFor([ENERGY_TRAIN_JOB], prefix, { heartbeatMs: 500 });
  assetId = await createSyntheticAsset(user, 1200);
  const v = await startTraining(user.id, { assetId, budgetSeconds: 10 }, { jobNamePrefix: prefix });
  const done = await waitFor(
    `energy version ${v.id}`,
    async () => {
      const g = await getVersion(user.id, v.id);
      return g.status === "SUCCEEDED" || g.status === "FAILED" ? g : null;
    },
    180_000,
    200,
  );
  expect(done.status, JSON.stringify(done.error)).toBe("SUCCEEDED");
  versionId = v.id;
}, 200_000);

afterAll(async () => {
  await worker?.stop(1000);
  await closeDb();
});

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-4) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++)
    expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThanOrEqual(
      tol * Math.max(1, Math.abs(b[i])),
    );
};

describe("Auto and the calibrated band", () => {
  it("Auto is the default: derived lookback/horizon, the candidates compared on validation, one chosen, calibration stored", async () => {
    const v = await getVersion(user.id, versionId);
    const config = v.config as unknown as ForecasterConfig & {
      request: Record<string, unknown>;
      auto: { candidates: { kind: string; valMase: number | null; chosen: boolean }[] };
    };
    expect(config.request.kind).toBe("auto");
    expect([config.lookback, config.horizon]).toEqual([288, 96]);
    const cands = config.auto.candidates;
    expect(cands.map((c) => c.kind)).toEqual(["seasonal-naive", "seasonal-mean", "seasonal-median", "gbdt", "tide"]);
    expect(cands.filter((c) => c.chosen)).toHaveLength(1);
    const chosen = cands.find((c) => c.chosen)!;
    expect(v.kind).toBe(chosen.kind);
    // The chosen one has the lowest validation error of those that trained.
    const scored = cands.filter((c) => c.valMase !== null);
    expect(chosen.valMase).toBe(Math.min(...scored.map((c) => c.valMase!)));
    expect(config.calibration!.offsets).toHaveLength(3);
    // A fitted model: 96 calibration points (one validation window), coverage in steps of ~0.01; a seasonal one: every window before the tail.
    expect(config.calibration!.coverageAfter).toBeGreaterThan(0.75);
    expect(config.calibration!.coverageAfter).toBeLessThan(0.88);
    const m = v.metrics as { mase: number; coverage: number; baseline: { mase: number } };
    // Held-out tail scored for the chosen model and seasonal naive (Auto never looked at it).
    expect(Number.isFinite(m.mase) && Number.isFinite(m.baseline.mase)).toBe(true);
    expect(m.coverage).toBeGreaterThan(0.7);
  });

  it("the page, the CSV, the exported ONNX file, calibratedQuantiles and the detection path give the same quantiles", async () => {
    const v = (await EnergyModelVersion.query().findById(versionId))!;
    const page = await forecastLatest(user.id, versionId);
    const csv = forecastCsv(page)
      .trim()
      .split("\n")
      .slice(1)
      .map((l) => l.split(",").slice(1).map(Number));
    close(
      csv.map((r) => r[0]),
      page.forecast.map((p) => p.q10),
    );
    close(
      csv.map((r) => r[2]),
      page.forecast.map((p) => p.q90),
    );

    // The downloaded file in a fresh session, on the asset's last L points.
    const f = await forecasterFor(v);
    const { lookback: L, horizon: H, quantiles } = f.config;
    const Q = quantiles.length;
    const series = await loadSeries({ assetId, userId: user.id });
    const T = series.timestamps.length;
    const onnx = await artifacts().get(artifactKey(user.id, "energy-models", versionId, "model.onnx"));
    const session = await ort.InferenceSession.create(new Uint8Array(onnx));
    const stepMs = f.config.frequencySeconds * 1000;
    const futTs = Float64Array.from({ length: H }, (_, h) => series.timestamps[T - 1] + (h + 1) * stepMs);
    const win = sliceSeries(series, T - L, T);
    const m = buildMatrices(win, f.config, { timestamps: futTs, calendar: calendarFeatures(futTs), covariates: [] });
    const out = await session.run({
      past: new ort.Tensor("float32", m.past, [1, L, m.D]),
      future: new ort.Tensor("float32", m.horizonFuture!, [1, H, m.C]),
    });
    const y = out.quantiles.data as Float32Array;
    close(
      Array.from({ length: H }, (_, h) => y[h * Q]),
      page.forecast.map((p) => p.q10),
      1e-6,
    );
    close(
      Array.from({ length: H }, (_, h) => y[h * Q + 2]),
      page.forecast.map((p) => p.q90),
      1e-6,
    );

    // What anomaly code calls, and the one-step path of batch detection / real-time scoring.
    const cq = await calibratedQuantiles(v, m.past, m.horizonFuture!, 1);
    close(Array.from(cq), Array.from(y), 1e-6);
    const ext = {
      ...series,
      timestamps: Float64Array.from([...series.timestamps, futTs[0]]),
      values: Float32Array.from([...series.values, NaN]),
      flags: Uint8Array.from([...series.flags, 0]),
    };
    const one = await oneStepForecasts(f, ext, T, T + 1);
    close([one.q10[0], one.q50[0], one.q90[0]], [y[0], y[1], y[2]], 1e-6);
  });

  it("calibration moves the trained band by the stored offsets times the window's scale and fixes validation coverage", async () => {
    const series = await loadSeries({ assetId, userId: user.id });
    const opts = { kind: "gbdt" as const, lookback: 288, horizon: 96, epochs: 40, seed: 3, threads: 1 };
    const cal = await trainForecaster(series, opts);
    const raw = { onnx: cal.rawOnnx!, config: { ...cal.config, calibration: null } };
    const off = cal.config.calibration!.offsets;
    expect(Math.abs(off[0]) + Math.abs(off[2])).toBeGreaterThan(0);
    expect(off[1]).toBe(0);
    const p = prepareTraining(series, opts);
    const a = await windowForecasts(raw.onnx, raw.config, p, p.valOrigins);
    const b = await windowForecasts(cal.onnx, cal.config, p, p.valOrigins);
    const cover = (f: Float32Array) => {
      let k = 0,
        n = 0;
      for (let i = 0; i < a.actual.length; i++)
        if (Number.isFinite(a.actual[i])) {
          n++;
          if (a.actual[i] >= f[i * 3] && a.actual[i] <= f[i * 3 + 2]) k++;
        }
      return k / n;
    };
    // A fitted model's default band: its own quantiles plus the stored offsets times each window's scale (band-scale.ts).
    const band = cal.config.calibration!.scale!;
    expect(band.lag).toBe(96);
    expect(band.median).toBeUndefined();
    let checked = 0;
    for (let i = 0; i < a.actual.length && checked < 50; i++) {
      const o = p.valOrigins[Math.floor(i / 96)];
      const s = effectiveScale(windowScale(p.m.target.subarray(o - 288, o), band.lag), band);
      const lo = a.forecast[i * 3] + off[0] * s,
        hi = a.forecast[i * 3 + 2] + off[2] * s;
      // Where a shifted bound would cross the median the graph sorts again (the band closes there).
      if (lo > a.forecast[i * 3 + 1] || hi < a.forecast[i * 3 + 1]) continue;
      checked++;
      expect(b.forecast[i * 3]).toBeCloseTo(lo, 3);
      expect(b.forecast[i * 3 + 2]).toBeCloseTo(hi, 3);
    }
    expect(checked).toBe(50);
    expect(Math.abs(cover(b.forecast) - 0.8)).toBeLessThan(0.05);
    expect(Math.abs(cover(a.forecast) - 0.8)).toBeGreaterThan(Math.abs(cover(b.forecast) - 0.8));
  }, 120_000);
});
