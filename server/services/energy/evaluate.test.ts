import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { closeDb, db } from "../../../db/db.js";
import { createTestUser, type TestUser } from "../../testing/users.js";
import { seedEnergy } from "../../../seeds/energy.js";
import { calendarFeatures } from "./calendar.js";
import { seasonalNaive } from "./seasonal-naive.js";
import { evaluateSeasonalNaive, evaluateSeriesOnTail, seasonalNaiveForecaster } from "./evaluate.js";
import { loadSeries } from "./series.js";
import { BUILTIN_STEEL_NAME, POINT_FLAGS } from "./types.js";
import { mae, seasonalScale } from "../../ml/forecast-metrics.js";

let user: TestUser;
let steelId: number;
beforeAll(async () => {
  await seedEnergy(db());
  user = await createTestUser("energy-eval");
  steelId = (await db()("energyAssets").whereNull("userId").where({ name: BUILTIN_STEEL_NAME }).first()).id;
});
afterAll(() => closeDb());

describe("calendar features and seasonal naive", () => {
  it("time of day and weekday on known dates", () => {
    // 2018-01-06 is a Saturday; 06:00 is a quarter of the day.
    const f = calendarFeatures([Date.UTC(2018, 0, 6, 6), Date.UTC(2018, 0, 8, 0)]);
    expect(f.names).toEqual(["tod_sin", "tod_cos", "dow_sin", "dow_cos", "is_weekend"]);
    expect(f.values[0][0]).toBeCloseTo(1, 6);
    expect(f.values[1][0]).toBeCloseTo(0, 6);
    expect(Array.from(f.values[4])).toEqual([1, 0]);
    // Monday: dow angle 0.
    expect(f.values[2][1]).toBeCloseTo(0, 6);
    expect(f.values[3][1]).toBeCloseTo(1, 6);
  });

  it("repeats the last season and reaches back past missing values", () => {
    const f = seasonalNaive([1, 2, 3, 10, 20, NaN], 4, 3);
    expect(Array.from(f.q50)).toEqual([10, 20, 3, 10]);
  });
});

describe("series API and tail evaluation on the built-in Steel asset", () => {
  it("loadSeries returns typed arrays, covariates and the dropout flag", async () => {
    const s = await loadSeries({ assetId: steelId, userId: user.id });
    expect(s.timestamps).toBeInstanceOf(Float64Array);
    expect(s.values).toBeInstanceOf(Float32Array);
    expect(s.values.length).toBe(35_040);
    expect(s.frequencySeconds).toBe(900);
    expect(s.covariates.map((c) => `${c.name}:${c.kind}`)).toContain("Load_Type:categorical");
    const load = s.covariates.find((c) => c.name === "Load_Type");
    expect(load?.kind === "categorical" && load.categories).toEqual(["Light_Load", "Maximum_Load", "Medium_Load"]);
    const dropouts = Array.from(s.flags).flatMap((f, i) =>
      f & POINT_FLAGS.DROPOUT ? [new Date(s.timestamps[i]).toISOString()] : [],
    );
    expect(dropouts).toEqual(["2018-11-08T00:00:00.000Z"]);
    const day = await loadSeries({
      assetId: steelId,
      userId: user.id,
      from: Date.UTC(2018, 0, 2),
      to: Date.UTC(2018, 0, 2, 23, 59),
    });
    expect(day.values.length).toBe(96);
  });

  it("seasonal naive on the last 20 %: MAE equals the tail's own mean seasonal difference, MASE = tail scale / train scale ≈ 1", async () => {
    const ev = await evaluateSeasonalNaive(steelId, user.id);
    expect(ev.season).toBe(96);
    expect(ev.horizon).toBe(96);
    expect(ev.trainPoints).toBe(35_040 - 7_008);
    expect(ev.windows).toBe(73);
    const s = await loadSeries({ assetId: steelId, userId: user.id });
    // With horizon = one season, every forecast is y[t−96]: the scored error is the tail's
    // mean absolute seasonal difference (dropout excluded), so MASE is that over the train scale.
    const clean = Uint8Array.from(s.flags, (f) => (f & POINT_FLAGS.DROPOUT ? 0 : 1));
    const tail = Array.from(s.values.subarray(ev.trainPoints));
    const naive = Array.from(s.values.subarray(ev.trainPoints - 96, s.values.length - 96));
    const tailMask = clean.subarray(ev.trainPoints);
    const expectedMae = mae(tail, naive, tailMask);
    expect(ev.metrics.mae).toBeCloseTo(expectedMae, 4);
    expect(ev.scale).toBeCloseTo(
      seasonalScale(s.values.subarray(0, ev.trainPoints), 96, clean.subarray(0, ev.trainPoints)),
      6,
    );
    expect(ev.metrics.mase).toBeCloseTo(expectedMae / ev.scale, 6);
    expect(ev.metrics.mase).toBeGreaterThan(0.7);
    expect(ev.metrics.mase).toBeLessThan(1.3);
    expect(ev.metrics.n).toBe(7_008 - 1); // the dropout is not scored
    expect(ev.metrics.coverage).toBeGreaterThan(0.5);
    expect(ev.metrics.coverage).toBeLessThan(1);

    // The same forecaster scored in-sample (scale taken on the scored part) gives MASE 1 exactly.
    const inSample = await evaluateSeriesOnTail(
      { ...s, flags: new Uint8Array(s.flags.length) },
      seasonalNaiveForecaster(96),
      { fraction: 0.2, lookback: 672, horizon: 96 },
    );
    const tailScale = seasonalScale(s.values.subarray(ev.trainPoints - 96), 96);
    expect(inSample.metrics.mae / tailScale).toBeCloseTo(1, 5);
  });
});
