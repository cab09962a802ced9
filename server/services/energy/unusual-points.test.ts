/**
 * Unusual points (in-memory series, no database): a day whose cycle stops (flat, like NAB's
 * art_daily_flatmiddle) inside the validation part is found from the series alone and left out of
 * the calibration, so the band the user gets on the tail keeps its nominal coverage. When most of
 * the validation part is unusual, Auto keeps the best seasonal candidate (what is left cannot rank
 * a fitted model).
 */
import { describe, expect, it } from "vitest";
import { chooseCandidate } from "./auto.js";
import { evaluateSeriesOnTail } from "./evaluate.js";
import { UNUSUAL_FALLBACK_SHARE, validationUnusualShare } from "./unusual-points.js";
import { OnnxForecaster, prepareTraining, trainForecaster } from "./forecasting.js";
import type { LoadedSeries } from "./series.js";

const days = 50,
  T = days * 24,
  trainPoints = T - Math.round(T * 0.2),
  valStart = trainPoints - Math.round(trainPoints * 0.1);
// The flat day: the 24 points from 6 h after the validation part starts.
const flatFrom = valStart + 6,
  flatTo = flatFrom + 24;

function series(from = flatFrom, to = flatTo, level = 5): LoadedSeries {
  let s = 7;
  const r = () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const n = () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const t0 = Date.UTC(2024, 0, 1);
  const values = Float32Array.from({ length: T }, (_, i) =>
    i >= from && i < to ? level : 20 + 10 * Math.sin((2 * Math.PI * (i % 24)) / 24) + n(),
  );
  return {
    assetId: 0,
    targetName: "kwh",
    unit: null,
    timestamps: Float64Array.from({ length: T }, (_, i) => t0 + i * 3_600_000),
    values,
    flags: new Uint8Array(T),
    covariates: [],
    frequencySeconds: 3600,
  };
}

const opts = { lookback: 168, horizon: 24, fraction: 0.2 };

describe("unusual points", () => {
  it("finds the flat day from the series alone and nothing in the ordinary days", () => {
    const p = prepareTraining(series(), opts);
    const flagged = [...p.unusual.keys()].filter((t) => p.unusual[t]);
    // The flat day's points far from 5 (most of the cycle); none outside it.
    expect(flagged.every((t) => t >= flatFrom && t < flatTo)).toBe(true);
    expect(flagged.length).toBeGreaterThanOrEqual(16);
  });

  it("a fitted model's band, calibrated without the flat day, keeps its coverage on the tail", async () => {
    const s = series();
    const t = await trainForecaster(s, { kind: "gbdt", ...opts, epochs: 60, threads: 1, seed: 1 });
    expect(t.config.calibration!.part).toBe("validation");
    expect(t.config.calibration!.leftOut).toBeGreaterThan(0);
    const f = (await OnnxForecaster.create(t.onnx, t.config)).asForecaster();
    const coverage = (await evaluateSeriesOnTail(s, f, opts)).metrics.coverage;
    // Calibrated with the flat day, the low quantile drops ~7 units and the band covers ~0.88.
    expect(coverage).toBeGreaterThan(0.75);
    expect(coverage).toBeLessThan(0.85);
  }, 60_000);

  it("Auto keeps the best seasonal candidate when most of the validation part is unusual", () => {
    const scored = [
      { kind: "seasonal-naive" as const, valMae: 3 },
      { kind: "seasonal-median" as const, valMae: 2 },
      { kind: "gbdt" as const, valMae: 1 },
    ];
    // art_daily_flatmiddle (dev): 75 % of the validation part unusual, GBDT best on what was left.
    expect(chooseCandidate(scored, 0.75)).toEqual({ index: 1, seasonalOnly: true });
    expect(chooseCandidate(scored, 0.33)).toEqual({ index: 2, seasonalOnly: false });
    const p = prepareTraining(series(valStart, valStart + 72, -20), opts);
    expect(validationUnusualShare(p.unusual, p.valStart, p.trainPoints)).toBeGreaterThan(UNUSUAL_FALLBACK_SHARE);
  });
});
