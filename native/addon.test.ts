import { describe, expect, it } from "vitest";

import { mse } from "../server/ml/metrics.js";
import { nativeInfo, train, type EpochProgress, type ModelSpec, type TrainSpec } from "./index.js";
import { caseA } from "./testing/battery-data.js";

const pcl = caseA({ target: "pcl" });

function caseASpec(model: Partial<ModelSpec> & Pick<ModelSpec, "kind">, extra: Partial<TrainSpec> = {}): TrainSpec {
  const data = model.kind === "bilstm" ? caseA({ target: "pcl", window: 5 }) : pcl;
  return {
    model: {
      inputDim: data.inputDim,
      outputs: 1,
      window: model.kind === "bilstm" ? 5 : 1,
      hiddenWidth: 32,
      lstmHidden: 16,
      lstmLayers: 1,
      ...model,
    },
    xTrain: data.train.x,
    yTrain: data.train.y,
    xVal: data.val.x,
    yVal: data.val.y,
    epochs: 8,
    batchSize: 128,
    learningRate: 3e-3,
    seed: 1,
    ...extra,
  };
}

describe("native addon", () => {
  it("reports LibTorch, device, threads and BLAS", () => {
    const info = nativeInfo();
    expect(info.torchVersion).toMatch(/^\d+\.\d+/);
    expect(info.defaultDevice).toBe(info.cudaAvailable ? "cuda" : "cpu");
    expect(info.threads.trainingDefault).toBe(1);
    expect(info.threads.callingThread).toBeGreaterThanOrEqual(1);
    expect(info.blas.length).toBeGreaterThan(0);
  });

  for (const model of [{ kind: "baseline" }, { kind: "bilstm" }, { kind: "deephpm", physicsLoss: "sum" }] as const) {
    it(`${model.kind} lowers the loss on Case A (cells 91, 100, PCL)`, async () => {
      const spec = caseASpec(model);
      const progress: EpochProgress[] = [];
      const result = await train(spec, (p) => progress.push(p)).promise;
      expect(progress.map((p) => p.epoch)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(result.history).toHaveLength(8);
      expect(result.bestValLoss).toBeLessThan(0.5 * progress[0].valLoss);
      expect(result.history[7].trainLoss).toBeLessThan(result.history[0].trainLoss);
      // Validation predictions are in normalised units: the shared metrics module
      // reproduces the addon's validation loss from them.
      const best = progress[result.bestEpoch - 1];
      expect(best.valPredictions).toBeInstanceOf(Float32Array);
      expect(best.valPredictions.length).toBe(spec.yVal.data.length);
      expect(mse(best.valPredictions, spec.yVal.data)).toBeCloseTo(best.valLoss, 5);
      expect(result.weights.length).toBeGreaterThan(0);
      for (const w of result.weights) {
        expect(w.data.length).toBe(w.shape.reduce((a, b) => a * b, 1));
      }
    });
  }

  it("cancel() stops within one epoch and resolves with what was done", async () => {
    let handle: ReturnType<typeof train> | undefined;
    handle = train(caseASpec({ kind: "baseline" }, { epochs: 5000 }), (p) => {
      if (p.epoch === 2) handle!.cancel();
    });
    const result = await handle.promise;
    expect(result.cancelled).toBe(true);
    expect(result.history.length).toBeGreaterThanOrEqual(2);
    expect(result.history.length).toBeLessThanOrEqual(3);
    expect(result.bestEpoch).toBeGreaterThanOrEqual(1);
    expect(result.weights.length).toBeGreaterThan(0);
  });

  it("keeps the event loop free while training", async () => {
    // The loop spins (setImmediate, no clock) while the addon trains; each epoch's progress notes the spin count.
    let spins = 0;
    let done = false;
    const spin = () => {
      spins++;
      if (!done) setImmediate(spin);
    };
    setImmediate(spin);
    let returned = false;
    const atProgress: { returned: boolean; spins: number }[] = [];
    const handle = train(caseASpec({ kind: "deephpm" }, { epochs: 40 }), () => atProgress.push({ returned, spins }));
    returned = true;
    const result = await handle.promise;
    done = true;
    expect(result.history).toHaveLength(40);
    expect(atProgress).toHaveLength(40);
    // train() returned before any epoch was reported, and the loop kept turning between epochs
    // (a blocking call would report every epoch with the same spin count, before returning).
    expect(atProgress.every((p) => p.returned)).toBe(true);
    expect(new Set(atProgress.map((p) => p.spins)).size).toBeGreaterThan(10);
  });

  it("rejects bad shapes naming the array and the dimension", async () => {
    const spec = caseASpec({ kind: "baseline" });
    await expect(train({ ...spec, model: { ...spec.model, inputDim: 5 } }).promise).rejects.toMatchObject({
      code: "ERR_VOLTLAB_INVALID_ARGUMENT",
      message: "xTrain.shape[1] (inputDim) is 4 but model.inputDim is 5",
    });
    const n = spec.xVal.shape[0];
    await expect(
      train({ ...spec, yVal: { data: spec.yVal.data.subarray(1), shape: [n - 1, 1] } }).promise,
    ).rejects.toThrow(`yVal.shape[0] (n) is ${n - 1} but xVal.shape[0] is ${n}`);
    await expect(
      train({ ...spec, xTrain: { data: spec.xTrain.data, shape: [spec.xTrain.shape[0], 2, 2] } }).promise,
    ).rejects.toThrow(/xTrain must have 2 dimensions \[n, inputDim\]/);
    const bilstm = caseASpec({ kind: "bilstm", window: 6 });
    await expect(train(bilstm).promise).rejects.toThrow("xTrain.shape[1] (window) is 5 but model.window is 6");
    await expect(train({ ...spec, model: { ...spec.model, hiddenLayers: 9 } }).promise).rejects.toThrow(
      "model.hiddenLayers must be between 1 and 6, got 9",
    );
    const deephpm = caseASpec({ kind: "deephpm" });
    await expect(train({ ...deephpm, model: { ...deephpm.model, physicsWeight: 0 } }).promise).rejects.toThrow(
      "model.physicsWeight must be between 0.001 and 100, got 0",
    );
    await expect(
      train({ ...deephpm, model: { ...deephpm.model, physicsLoss: "adaptive", physicsWeight: 2 } }).promise,
    ).rejects.toThrow("model.physicsWeight applies to the 'sum' loss only");
    await expect(train({ ...spec, xTrain: { shape: spec.xTrain.shape } } as never).promise).rejects.toThrow(
      "xTrain.data must be a Float32Array or an array of numbers",
    );
  });

  it("rejects NaN in the inputs with the index of the first one", async () => {
    const spec = caseASpec({ kind: "baseline" });
    const data = spec.xTrain.data.slice();
    data[5 * 4 + 2] = NaN;
    await expect(train({ ...spec, xTrain: { data, shape: spec.xTrain.shape } }).promise).rejects.toMatchObject({
      code: "ERR_VOLTLAB_INVALID_ARGUMENT",
      message: expect.stringContaining("xTrain contains NaN at index [5, 2]"),
    });
  });

  it("stops with a clear error when the loss is not finite", async () => {
    const spec = caseASpec({ kind: "baseline" });
    const y = spec.yTrain.data.map((v) => v * 1e30);
    await expect(train({ ...spec, yTrain: { data: y, shape: spec.yTrain.shape } }).promise).rejects.toMatchObject({
      code: "ERR_VOLTLAB_NON_FINITE_LOSS",
      message: expect.stringMatching(/training loss became (infinite|NaN) at epoch 1, batch 1/),
    });
  });

  it("rejects with the callback's error when onEpoch throws", async () => {
    const handle = train(caseASpec({ kind: "baseline" }, { epochs: 1000 }), () => {
      throw new Error("boom in onEpoch");
    });
    await expect(handle.promise).rejects.toThrow("boom in onEpoch");
  });

  it("says clearly when CUDA is not available", async () => {
    if (nativeInfo().cudaAvailable) return;
    await expect(train(caseASpec({ kind: "baseline" }, { device: "cuda" })).promise).rejects.toMatchObject({
      code: "ERR_VOLTLAB_DEVICE_UNAVAILABLE",
      message: expect.stringContaining("CUDA is not available"),
    });
  });
});
