/**
 * The adaptive (normalised) conformal band (band-scale.ts):
 *  - the ONNX graph computes each window's scale exactly as the TypeScript calibration does (the
 *    graph's calibrated band minus its raw band is offset · s), missing values, a window with no
 *    finite pair and a flat window included;
 *  - on a series whose noise doubles in the held-out tail, the adaptive band keeps its nominal
 *    coverage there (0.75-0.85) while the fixed band calibrated on the history does not.
 */
import { describe, expect, it } from "vitest";
import { writeSeasonalOnnx } from "../../ml/onnx/energy-onnx.js";
import { effectiveScale, windowScale, type BandScale } from "./band-scale.js";
import { evaluateSeriesOnTail } from "./evaluate.js";
import { OnnxForecaster, trainForecaster, type ForecasterConfig } from "./forecasting.js";
import type { LoadedSeries } from "./series.js";

function rng(seed: number) {
  let s = seed;
  return () => (s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
}
function gauss(r: () => number) {
  return () => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}
const profile = (i: number) => 20 + 10 * Math.sin((2 * Math.PI * (i % 24)) / 24);

describe("adaptive band scale", () => {
  it("the graph's scale of each window equals the TypeScript one", async () => {
    const L = 48,
      H = 24,
      season = 24,
      n = 6;
    const band: BandScale = { lag: season, ref: 3.5, floor: 0.4 };
    const r = gauss(rng(5));
    const windows = Array.from({ length: n }, (_, w) =>
      Float32Array.from({ length: L }, (_, t) => {
        if (w === 1 && t % 5 === 0) return NaN; // some values missing
        if (w === 2 && t < season) return NaN; // no finite pair: ref
        if (w === 3) return 7; // flat: floor
        return profile(t) + (w + 1) * r();
      }),
    );
    const common = { lookback: L, horizon: H, season, days: 2, pastDim: 1, futureDim: 1, quantiles: [0.1, 0.5, 0.9] };
    const spread = [-50, 0, 50]; // wide enough that the calibrated bounds never cross the median
    const raw = writeSeasonalOnnx({ ...common, spread });
    const cal = writeSeasonalOnnx({ ...common, spread, calibration: { offsets: [-1, 0, 2], scale: band } });
    const config = { lookback: L, horizon: H, pastDim: 1, futureDim: 1 } as ForecasterConfig;
    const past = new Float32Array(n * L);
    windows.forEach((w, i) => past.set(w, i * L));
    const future = new Float32Array(n * H);
    const a = await (await OnnxForecaster.create(raw, config)).run(past, future, n);
    const b = await (await OnnxForecaster.create(cal, config)).run(past, future, n);
    const expected = windows.map((w) => effectiveScale(windowScale(w, season), band));
    expect(expected[2]).toBe(band.ref);
    expect(expected[3]).toBe(band.floor);
    for (let i = 0; i < n; i++)
      for (let h = 0; h < H; h++) {
        const j = (i * H + h) * 3;
        if (!Number.isFinite(a[j + 1])) continue;
        expect(a[j] - b[j]).toBeCloseTo(expected[i], 3);
        expect(b[j + 1]).toBeCloseTo(a[j + 1], 4);
        expect(b[j + 2] - a[j + 2]).toBeCloseTo(2 * expected[i], 3);
      }
    // Centred on the median (the default band): median + offset · s, the trained q10/q90 unused.
    const med = writeSeasonalOnnx({
      ...common,
      spread,
      calibration: { offsets: [-1, 0, 2], scale: { ...band, median: 1 } },
    });
    const c = await (await OnnxForecaster.create(med, config)).run(past, future, n);
    for (let i = 0; i < n; i++)
      for (let h = 0; h < H; h++) {
        const j = (i * H + h) * 3;
        if (!Number.isFinite(a[j + 1])) continue;
        expect(c[j]).toBeCloseTo(a[j + 1] - expected[i], 3);
        expect(c[j + 2]).toBeCloseTo(a[j + 1] + 2 * expected[i], 3);
      }
  });

  it("keeps the tail's coverage near 0.80 when the noise doubles there; the fixed band does not", async () => {
    const days = 200,
      tailStart = Math.round(days * 24 * 0.8);
    const noise = gauss(rng(21));
    const values = Float32Array.from({ length: days * 24 }, (_, i) => profile(i) + (i >= tailStart ? 4 : 2) * noise());
    const t0 = Date.UTC(2024, 0, 1);
    const series: LoadedSeries = {
      assetId: 0,
      targetName: "kwh",
      unit: null,
      timestamps: Float64Array.from({ length: values.length }, (_, i) => t0 + i * 3_600_000),
      values,
      flags: new Uint8Array(values.length),
      covariates: [],
      frequencySeconds: 3600,
    };
    const opts = { kind: "seasonal-mean" as const, lookback: 48, horizon: 24, fraction: 0.2 };
    const coverage = async (band?: "fixed") => {
      const t = await trainForecaster(series, { ...opts, band });
      const f = (await OnnxForecaster.create(t.onnx, t.config)).asForecaster();
      return (await evaluateSeriesOnTail(series, f, opts)).metrics.coverage;
    };
    const adaptive = await coverage(),
      fixed = await coverage("fixed");
    console.log(`tail coverage: adaptive ${adaptive.toFixed(3)}, fixed ${fixed.toFixed(3)}`);
    expect(adaptive).toBeGreaterThanOrEqual(0.75);
    expect(adaptive).toBeLessThanOrEqual(0.85);
    expect(fixed).toBeLessThan(0.75);
  }, 60_000);
});
