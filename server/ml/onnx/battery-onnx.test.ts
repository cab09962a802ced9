/**
 * ONNX parity: for each battery model, the exported graph run by onnxruntime-node
 * equals the addon's own forward pass (predict with the same normalisation) on the
 * same raw inputs, within 1e-5 absolute in raw units.
 *
 * Targets: PCL (a fraction, std ~0.01) is checked at 1e-5 absolute. With two
 * outputs [PCL, RUL], RUL is in cycles (std ~300): float32 rounding of the last
 * layer alone is ~1e-7 relative, i.e. ~1e-4 cycles, so the RUL column is checked
 * at 1e-5 × its std (1e-5 absolute in normalised units) and PCL at 1e-5 absolute.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ort from "onnxruntime-node";
import { describe, expect, it } from "vitest";

import { predict, train, type ModelSpec } from "../../../native/index.js";
import { caseA, type Target } from "../../../native/testing/battery-data.js";
import { decodeModel } from "./onnx-schema.js";
import { INPUT_NAME, OUTPUT_NAME, writeBatteryOnnx } from "./battery-onnx.js";

const dir = mkdtempSync(join(tmpdir(), "voltlab-onnx-"));

async function parity(model: Omit<ModelSpec, "inputDim">, target: Target) {
  const window = model.window ?? 1;
  const data = caseA({ target, window });
  const spec: ModelSpec = { ...model, inputDim: data.inputDim, outputs: data.outputs };
  const result = await train({
    model: spec,
    xTrain: data.train.x,
    yTrain: data.train.y,
    xVal: data.val.x,
    yVal: data.val.y,
    epochs: 3,
    batchSize: model.kind === "bilstm" ? 128 : 1024,
    learningRate: 1e-3,
    seed: 3,
  }).promise;

  const bytes = writeBatteryOnnx({
    model: spec,
    weights: result.weights,
    normalization: data.normalization,
    inputNames: ["kong_slope", "kong_intercept", "tavg_c", "cycle"],
    targetNames: target === "both" ? ["pcl", "rul"] : [target],
  });
  const file = join(dir, `${model.kind}-${target}.onnx`);
  writeFileSync(file, bytes);

  // Raw inputs: the test cell (124), unseen in training.
  const x = data.raw.test.x;
  const session = await ort.InferenceSession.create(file);
  const feeds = { [INPUT_NAME]: new ort.Tensor("float32", x.data, x.shape) };
  const onnxOut = (await session.run(feeds))[OUTPUT_NAME];
  const addonOut = predict(spec, result.weights, x, { normalization: data.normalization });

  expect(onnxOut.dims).toEqual(addonOut.shape);
  expect(addonOut.shape).toEqual([x.shape[0], data.outputs]);
  const onnxData = onnxOut.data as Float32Array;
  const maxDiff = new Array<number>(data.outputs).fill(0);
  for (let i = 0; i < onnxData.length; i++) {
    const k = i % data.outputs;
    maxDiff[k] = Math.max(maxDiff[k], Math.abs(onnxData[i] - addonOut.data[i]));
  }
  if (process.env.VOLTLAB_PARITY_LOG) console.log(`${model.kind} ${target} max |onnx - addon|`, maxDiff);
  return { maxDiff, yStd: data.normalization.yStd, bytes, n: x.shape[0], session };
}

describe("battery ONNX export", () => {
  const models: Omit<ModelSpec, "inputDim">[] = [
    { kind: "baseline" },
    { kind: "deephpm", physicsLoss: "adaptive", physicsInputs: ["s", "t", "u", "u_t"] },
    { kind: "bilstm", window: 5, lstmLayers: 2, lstmHidden: 16 },
  ];

  for (const model of models) {
    it(`${model.kind}: onnxruntime equals the addon within 1e-5 (PCL)`, async () => {
      const { maxDiff, n, session } = await parity(model, "pcl");
      expect(n).toBeGreaterThan(100);
      expect(maxDiff[0]).toBeLessThanOrEqual(1e-5);
      expect(session.inputNames).toEqual([INPUT_NAME]);
      expect(session.outputNames).toEqual([OUTPUT_NAME]);
    });

    it(`${model.kind}: two outputs (PCL, RUL)`, async () => {
      const { maxDiff, yStd } = await parity(model, "both");
      expect(maxDiff[0]).toBeLessThanOrEqual(1e-5);
      expect(maxDiff[1]).toBeLessThanOrEqual(1e-5 * yStd[1]);
    });
  }

  it("writes opset 14, IR 8, a dynamic batch and the model in metadata; DeepHPM exports only u", async () => {
    const { bytes } = await parity(models[1], "pcl");
    const decoded = decodeModel(bytes);
    expect(decoded.irVersion).toBe(8);
    expect(decoded.opsetImport.map((o) => [o.domain ?? "", o.version])).toEqual([["", 14]]);
    expect(decoded.graph.input[0].type.tensorType.shape.dim[0]).toEqual({ dimParam: "batch" });
    expect(decoded.graph.initializer.some((t) => t.name.startsWith("g."))).toBe(false);
    expect(decoded.graph.node.map((n) => n.opType)).not.toContain("Dropout");
    const kind = decoded.metadataProps.find((p) => p.key === "voltlab.model_kind");
    expect(kind?.value).toBe("deephpm");
  });
});
