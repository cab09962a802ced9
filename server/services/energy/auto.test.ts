/**
 * Auto's choice on in-memory series (no database): a series that repeats one day exactly cannot
 * be beaten, so Auto keeps seasonal naive (it wins ties) and serves it as a full model with a
 * band; on a noisy daily cycle the seasonal mean or a trained model beats one day back.
 */
import { describe, expect, it } from "vitest";
import { trainAuto } from "./auto.js";
import { OnnxForecaster } from "./forecasting.js";
import { calendarFeatures } from "./calendar.js";
import type { LoadedSeries } from "./series.js";

function daily(points: number, noise: number): LoadedSeries {
  let s = 5;
  const rnd = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31 - 0.5;
  const t0 = Date.UTC(2024, 0, 1);
  const timestamps = Float64Array.from({ length: points }, (_, i) => t0 + i * 3_600_000);
  const values = Float32Array.from(
    { length: points },
    (_, i) => 20 + 10 * Math.sin((2 * Math.PI * (i % 24)) / 24) + (i % 24 === 7 ? 5 : 0) + noise * rnd(),
  );
  return {
    assetId: 0,
    targetName: "kwh",
    unit: null,
    timestamps,
    values,
    flags: new Uint8Array(points),
    covariates: [],
    frequencySeconds: 3600,
  };
}

describe("Auto", () => {
  it("keeps seasonal naive when nothing beats it, and serves it with a band", async () => {
    const series = daily(24 * 40, 0);
    const r = await trainAuto(series, { lookback: 72, horizon: 24, budgetSeconds: 10, threads: 1 });
    expect(r.candidates.find((c) => c.chosen)?.kind).toBe("seasonal-naive");
    expect(r.trained.config.kind).toBe("seasonal-naive");
    const sn = r.candidates[0];
    expect(sn.valMae).toBe(0);
    expect(r.candidates.find((c) => c.kind === "gbdt")!.valMae).toBeGreaterThan(0);
    const f = await OnnxForecaster.create(r.trained.onnx, r.trained.config);
    const T = series.timestamps.length;
    const ts = Float64Array.from({ length: 24 }, (_, h) => series.timestamps[T - 1] + (h + 1) * 3_600_000);
    const q = await f.forecast(series, { timestamps: ts, calendar: calendarFeatures(ts), covariates: [] });
    for (let h = 0; h < 24; h++) {
      expect(q.q50[h]).toBeCloseTo(series.values[T - 24 + h], 4);
      expect(q.q10[h]).toBeLessThanOrEqual(q.q50[h]);
      expect(q.q90[h]).toBeGreaterThanOrEqual(q.q50[h]);
    }
  }, 60_000);

  it("on a noisy daily cycle, keeps a candidate that beats one day back on validation", async () => {
    const r = await trainAuto(daily(24 * 40, 6), { lookback: 72, horizon: 24, budgetSeconds: 10, threads: 1 });
    const chosen = r.candidates.find((c) => c.chosen)!;
    expect(r.candidates.find((c) => c.kind === "gbdt")!.valMae).not.toBeNull();
    expect(chosen.kind).not.toBe("seasonal-naive");
    expect(chosen.valMae!).toBeLessThan(r.candidates[0].valMae!);
  }, 60_000);
});
