/**
 * ONNX parity for the four energy forecasters on a tiny synthetic series (season 24 steps,
 * L = 48, H = 12, 2 past covariates, 3 calendar columns): onnxruntime-node's output equals the
 * model's own prediction on the same raw float32 inputs.
 * - LSTM / TiDE / TFT: the addon's predictEnergyNet (same scaling, same sort along Q).
 * - GBDT: XGBoost's own predict (native predictEnergyGbdt, scaled units) de-scaled in float32
 *   and sorted.
 * Tolerance: 1e-5 in SCALED target units (|Δ| ≤ 1e-5 · yStd in raw units). Here yStd ≈ 1.3, so
 * this is ≈ 1.3e-5 raw; on the Steel series (yStd ≈ 33 kWh) raw float32 rounding alone of values
 * around 100 kWh is ~4e-6, so the check is stated in scaled units.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";

import {
  energyGbdtLagIndex,
  predictEnergyGbdt,
  predictEnergyNet,
  trainEnergyGbdt,
  trainEnergyNet,
  type EnergyNetKind,
  type EnergyScaling,
  type GbdtSpec,
} from "../../../native/energy.js";
import { decodeModel } from "./onnx-schema.js";
import {
  FUTURE_INPUT,
  gbdtLagIndex,
  PAST_INPUT,
  QUANTILES_OUTPUT,
  writeEnergyGbdtOnnx,
  writeEnergyNetOnnx,
} from "./energy-onnx.js";

const dir = mkdtempSync(join(tmpdir(), "voltlab-energy-onnx-"));
const S = 24,
  L = 48,
  H = 12,
  T = 480,
  C = 3,
  P = 2;
const Q = [0.1, 0.5, 0.9];

function synthetic() {
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 - 0.5;
  const y = new Float32Array(T),
    past = new Float32Array(T * (1 + P + C)),
    fut = new Float32Array(T * C);
  for (let t = 0; t < T; t++) {
    const cal = [Math.sin((2 * Math.PI * t) / S), Math.cos((2 * Math.PI * t) / S), Math.floor(t / S) % 7 >= 5 ? 1 : 0];
    y[t] = 10 + 3 * cal[0] + 2 * cal[2] + rand();
    const cov = [y[t] * 0.5 + rand(), rand()];
    past.set([y[t], ...cov, ...cal], t * (1 + P + C));
    fut.set(cal, t * C);
  }
  y[100] = NaN; // a missing point
  past[100 * (1 + P + C)] = NaN;
  return { y, past, fut };
}

function stats(data: Float32Array, cols: number) {
  const mean: number[] = [],
    std: number[] = [];
  for (let c = 0; c < cols; c++) {
    let s = 0,
      s2 = 0,
      n = 0;
    for (let i = c; i < data.length; i += cols)
      if (Number.isFinite(data[i])) {
        s += data[i];
        s2 += data[i] ** 2;
        n++;
      }
    const m = s / n;
    mean.push(m);
    std.push(Math.sqrt(Math.max(s2 / n - m * m, 0)) || 1);
  }
  return { mean, std };
}

const data = synthetic();
const ps = stats(data.past, 1 + P + C),
  fs = stats(data.fut, C);
const scaling: EnergyScaling = {
  pastMean: ps.mean,
  pastStd: ps.std,
  futureMean: fs.mean,
  futureStd: fs.std,
  yMean: ps.mean[0],
  yStd: ps.std[0],
};
const trainOrigins = Int32Array.from({ length: 300 - L }, (_, i) => L + i);
const valOrigins = Int32Array.from({ length: 10 }, (_, i) => 320 + i * 6);
const testOrigins = [L, 101, 200, 400, T - H];

function windows(origins: number[]) {
  const D = 1 + P + C;
  const past = new Float32Array(origins.length * L * D),
    future = new Float32Array(origins.length * H * C),
    window = new Float32Array(origins.length * L);
  origins.forEach((o, i) => {
    past.set(data.past.subarray((o - L) * D, o * D), i * L * D);
    future.set(data.fut.subarray(o * C, (o + H) * C), i * H * C);
    for (let l = 0; l < L; l++) window[i * L + l] = data.past[(o - L + l) * D];
  });
  return {
    past: { data: past, shape: [origins.length, L, D] },
    future: { data: future, shape: [origins.length, H, C] },
    window: { data: window, shape: [origins.length, L] },
  };
}

async function runOnnx(bytes: Uint8Array, name: string, x: ReturnType<typeof windows>) {
  const file = join(dir, `${name}.onnx`);
  writeFileSync(file, bytes);
  const session = await ort.InferenceSession.create(file);
  const out = await session.run({
    [PAST_INPUT]: new ort.Tensor("float32", x.past.data, x.past.shape),
    [FUTURE_INPUT]: new ort.Tensor("float32", x.future.data, x.future.shape),
  });
  return out[QUANTILES_OUTPUT];
}

function scaledMaxDiff(a: ArrayLike<number>, b: ArrayLike<number>) {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]) / scaling.yStd);
  return m;
}

describe("energy ONNX export", () => {
  const scaledSeries = () => {
    const D = 1 + P + C;
    const past = Float32Array.from(data.past, (v, i) => (v - ps.mean[i % D]) / ps.std[i % D]);
    const future = Float32Array.from(data.fut, (v, i) => (v - fs.mean[i % C]) / fs.std[i % C]);
    const target = Float32Array.from(data.y, (v) => (v - scaling.yMean) / scaling.yStd);
    return {
      past: { data: past, shape: [T, D] },
      future: { data: future, shape: [T, C] },
      target: { data: target, shape: [T] },
    };
  };

  const kinds: EnergyNetKind[] = ["lstm", "tide", "tft"];
  for (const kind of kinds) {
    it(`${kind}: onnxruntime equals the addon within 1e-5 (scaled units)`, async () => {
      const model = {
        kind,
        lookback: L,
        horizon: H,
        pastDim: 1 + P + C,
        futureDim: C,
        quantiles: 3,
        hidden: 16,
        heads: 2,
        layers: 1,
      };
      const events: number[] = [];
      const result = await trainEnergyNet(
        {
          model,
          ...scaledSeries(),
          trainOrigins,
          valOrigins,
          quantiles: Q,
          epochs: 2,
          batchSize: 64,
          learningRate: 3e-3,
          seed: 1,
        },
        (e) => events.push(e.epoch),
      ).promise;
      expect(events).toEqual([1, 2]);
      expect(result.bestEpoch).toBeGreaterThan(0);
      const x = windows(testOrigins);
      const addon = predictEnergyNet(model, result.weights, x.past, x.future, scaling);
      const onnx = await runOnnx(
        writeEnergyNetOnnx({ model, weights: result.weights, scaling, quantiles: Q }),
        kind,
        x,
      );
      expect(onnx.dims).toEqual([testOrigins.length, H, 3]);
      expect(addon.shape).toEqual([testOrigins.length, H, 3]);
      const diff = scaledMaxDiff(onnx.data as Float32Array, addon.data);
      if (process.env.VOLTLAB_PARITY_LOG) console.log(kind, "max |onnx - addon| / yStd", diff);
      expect(diff).toBeLessThanOrEqual(1e-5);
      const o = onnx.data as Float32Array;
      for (let i = 0; i < o.length; i += 3) expect(o[i] <= o[i + 1] && o[i + 1] <= o[i + 2]).toBe(true);
    });
  }

  it("the addon rejects an energy argument it cannot read, naming it", async () => {
    const model = {
      kind: "lstm" as const,
      lookback: L,
      horizon: H,
      pastDim: 1 + P + C,
      futureDim: C,
      quantiles: 3,
      hidden: 8,
      layers: 1,
    };
    const spec = { model, ...scaledSeries(), trainOrigins, valOrigins, quantiles: Q, epochs: 1, batchSize: 64 };
    await expect(trainEnergyNet({ ...spec, trainOrigins: [L, L + 0.5] }).promise).rejects.toThrow(
      "spec.trainOrigins must hold integers",
    );
    await expect(trainEnergyNet({ ...spec, quantiles: [0.1, "0.5" as never, 0.9] }).promise).rejects.toThrow(
      "spec.quantiles must hold numbers",
    );
    await expect(trainEnergyNet({ ...spec, epochs: 1.5 }).promise).rejects.toThrow("spec.epochs must be an integer");
  });

  it("gbdt: onnxruntime equals XGBoost's own predict within 1e-5 (scaled units)", async () => {
    const model: GbdtSpec = {
      lookback: L,
      horizon: H,
      futureDim: C,
      season: S,
      recentLags: 8,
      seasonalDays: 2,
      trees: 30,
      maxLeaves: 15,
      learningRate: 0.2,
      threads: 1,
      seed: 1,
      quantiles: Q,
    };
    expect(Array.from(energyGbdtLagIndex(model))).toEqual(gbdtLagIndex(model).index);
    const rounds: number[] = [];
    const result = await trainEnergyGbdt(
      {
        model,
        target: { data: data.y, shape: [T] },
        future: { data: data.fut, shape: [T, C] },
        yMean: scaling.yMean,
        yStd: scaling.yStd,
        trainOrigins,
        valOrigins,
      },
      (e) => rounds.push(e.epoch),
    ).promise;
    expect(rounds.length).toBe(30);
    expect(result.models).toHaveLength(3);
    const config = JSON.parse(result.configs[0]);
    expect(Number(config.learner.learner_model_param.base_score)).toBeCloseTo(result.baseScores[0], 5);
    const x = windows(testOrigins);
    const xgb = predictEnergyGbdt(model, result.models, x.window, x.future);
    const expected = new Float32Array(xgb.data.length);
    for (let i = 0; i < xgb.data.length; i += 3) {
      const row = [0, 1, 2]
        .map((q) => Math.fround(Math.fround(xgb.data[i + q] * Math.fround(scaling.yStd)) + Math.fround(scaling.yMean)))
        .sort((a, b) => a - b);
      expected.set(row, i);
    }
    const bytes = writeEnergyGbdtOnnx({
      model,
      pastDim: 1 + P + C,
      xgbModels: result.models,
      quantiles: Q,
      yMean: scaling.yMean,
      yStd: scaling.yStd,
    });
    const onnx = await runOnnx(bytes, "gbdt", x);
    expect(onnx.dims).toEqual([testOrigins.length, H, 3]);
    const diff = scaledMaxDiff(onnx.data as Float32Array, expected);
    if (process.env.VOLTLAB_PARITY_LOG) console.log("gbdt max |onnx - xgboost| / yStd", diff);
    expect(diff).toBeLessThanOrEqual(1e-5);
    const decoded = decodeModel(bytes);
    expect(decoded.opsetImport.map((op) => [op.domain ?? "", op.version])).toEqual([
      ["", 14],
      ["ai.onnx.ml", 3],
    ]);
    expect(decoded.graph.node.map((n) => n.opType)).toContain("TreeEnsembleRegressor");
  });
});
