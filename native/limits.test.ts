/**
 * One set of training limits (issue #19): the bounds the C++ core checks (native/core/limits.h,
 * exported by the addon's limits()) and the bounds the zod schemas accept agree, and the core
 * refuses a request just outside them. Changing a bound on one side alone fails here.
 */
import { describe, expect, it } from "vitest";
import type { ZodTypeAny } from "zod";

import { LIMITS, SYSTEM_SETTINGS, taskFields } from "../server/schemas/training.js";
import { ENERGY_LIMITS, trainEnergyModelSchema } from "../server/services/energy/models-schema.js";
import { nativeLimits, train, type TrainSpec } from "./index.js";
import { caseA } from "./testing/battery-data.js";

const accepts = (schema: ZodTypeAny, value: unknown) => schema.safeParse(value).success;

/** The closed range a numeric field schema accepts, probed at the given bounds and just outside. */
function acceptedRange(schema: ZodTypeAny, [lo, hi]: [number, number], integer: boolean) {
  const below = integer ? lo - 1 : lo - Math.max(Math.abs(lo) * 1e-9, 1e-12);
  const above = integer ? hi + 1 : hi + Math.max(Math.abs(hi) * 1e-9, 1e-12);
  return {
    lo: accepts(schema, lo),
    hi: accepts(schema, hi),
    below: accepts(schema, below),
    above: accepts(schema, above),
  };
}
const exactly = { lo: true, hi: true, below: false, above: false };

describe("training limits: addon and zod schemas", () => {
  const core = nativeLimits();

  it("battery task fields accept exactly the ranges the core checks", () => {
    const f = taskFields.shape;
    const fields: [string, ZodTypeAny, [number, number], boolean][] = [
      ["learningRate", f.learningRate, core.battery.learningRate, false],
      ["inputNoise", f.inputNoise, core.battery.inputNoise, false],
      ["physicsWeight", f.physicsWeight, core.battery.physicsWeight, false],
      ["epochs", f.epochs, core.battery.epochs, true],
      ["algorithmEpochs.bilstm", f.algorithmEpochs.removeDefault().shape.bilstm.unwrap(), core.battery.epochs, true],
      ["hiddenLayers", f.hiddenLayers, core.battery.layers, true],
      ["hiddenWidth", f.hiddenWidth, core.battery.width, true],
      ["lstmLayers", f.lstmLayers, core.battery.lstmLayers, true],
      ["lstmHidden", f.lstmHidden, core.battery.lstmHidden, true],
      ["window", f.window, core.battery.window, true],
    ];
    for (const [name, schema, range, integer] of fields) {
      expect({ name, range, accepted: acceptedRange(schema, range, integer) }).toEqual({
        name,
        range,
        accepted: exactly,
      });
    }
    // The figures the issue named: learning rate ≤ 0.1, epochs ≤ 5,000, LSTM hidden ≤ 256.
    expect(core.battery.learningRate[1]).toBe(0.1);
    expect(core.battery.epochs[1]).toBe(LIMITS.maxEpochs);
    expect(core.battery.lstmHidden[1]).toBe(LIMITS.lstmHidden[1]);
    // Settings the system fixes lie inside the core's bounds.
    for (const b of Object.values(SYSTEM_SETTINGS.batchSize)) {
      expect(b).toBeGreaterThanOrEqual(core.battery.batchSize[0]);
      expect(b).toBeLessThanOrEqual(core.battery.batchSize[1]);
    }
  });

  it("the energy schema's learning rate is the core's and its caps are within the core's", () => {
    const ok = (v: Record<string, unknown>) => accepts(trainEnergyModelSchema, { assetId: 1, ...v });
    const [, maxLr] = core.energy.learningRate;
    expect([ok({ learningRate: maxLr }), ok({ learningRate: maxLr * (1 + 1e-9) }), ok({ learningRate: 0 })]).toEqual([
      true,
      false,
      false,
    ]);
    expect(ok({ learningRate: 1e-12 })).toBe(true);
    // Each cap the form offers is one the core accepts (the core serves the benches too).
    const caps: [string, number, Record<string, unknown>, number][] = [
      ["lookback", ENERGY_LIMITS.maxLookback, { lookback: ENERGY_LIMITS.maxLookback }, core.energy.lookback[1]],
      ["horizon", ENERGY_LIMITS.maxHorizon, { horizon: ENERGY_LIMITS.maxHorizon }, core.energy.horizon[1]],
      [
        "net epochs",
        ENERGY_LIMITS.maxEpochs,
        { kind: "tide", epochs: ENERGY_LIMITS.maxEpochs },
        core.energy.netEpochs[1],
      ],
      ["GBDT rounds", ENERGY_LIMITS.maxRounds, { kind: "gbdt", epochs: ENERGY_LIMITS.maxRounds }, core.energy.trees[1]],
    ];
    for (const [name, cap, request, coreMax] of caps) {
      expect({ name, accepted: ok(request), withinCore: cap <= coreMax }).toEqual({
        name,
        accepted: true,
        withinCore: true,
      });
    }
  });

  it("the core refuses a battery request just outside each limit, naming the field", async () => {
    const data = caseA({ target: "pcl", window: 5 });
    const spec: TrainSpec = {
      model: { kind: "bilstm", inputDim: data.inputDim, window: 5, lstmLayers: 1, lstmHidden: 8 },
      xTrain: data.train.x,
      yTrain: data.train.y,
      xVal: data.val.x,
      yVal: data.val.y,
      epochs: 1,
      batchSize: 256,
      learningRate: core.battery.learningRate[1],
      inputNoise: core.battery.inputNoise[1],
      seed: 1,
    };
    // At the bounds: trains.
    const done = await train(spec).promise;
    expect(done.history).toHaveLength(1);
    const b = core.battery;
    const refusals: [Partial<TrainSpec>, string][] = [
      [{ learningRate: b.learningRate[1] * 1.01 }, "learningRate must be between 1e-06 and 0.1"],
      [{ learningRate: b.learningRate[0] / 2 }, "learningRate must be between 1e-06 and 0.1"],
      [{ epochs: b.epochs[1] + 1 }, `epochs must be between 1 and ${b.epochs[1]}`],
      [{ inputNoise: b.inputNoise[1] + 0.01 }, `inputNoise must be between 0 and ${b.inputNoise[1]}`],
      [{ model: { ...spec.model, lstmHidden: b.lstmHidden[1] + 1 } }, `model.lstmHidden must be between 4 and 256`],
      [{ model: { ...spec.model, window: b.window[1] + 1 } }, `model.window must be between 1 and 64`],
    ];
    for (const [change, message] of refusals) {
      await expect(train({ ...spec, ...change }).promise).rejects.toMatchObject({
        code: "ERR_VOLTLAB_INVALID_ARGUMENT",
        message: expect.stringContaining(message),
      });
    }
  });
});
