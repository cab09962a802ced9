/**
 * Epochs per algorithm (#23 item 5): each algorithm of a task trains its own epochs, the compute
 * quota counts each algorithm at its own epochs, and a stored config without per-algorithm epochs
 * trains every algorithm at `epochs`. Pure: no database, no addon.
 */
import { describe, expect, it } from "vitest";
import { algorithmFlop, taskComputeTflop } from "./compute.js";
import { configForAlgorithm, createTaskInput, epochsOf, TASK_DEFAULTS } from "../../schemas/training.js";
import { english } from "../../i18n/translate.js";

const cfg = createTaskInput.parse({
  ...TASK_DEFAULTS,
  name: "epochs",
  datasetId: 1,
  algorithms: ["baseline", "bilstm"],
  epochs: 100,
  algorithmEpochs: { baseline: 400, bilstm: 20 },
});
const data = () => ({ inputs: 8, trainSamples: 10_000 });

describe("epochs per algorithm", () => {
  it("gives each algorithm its own epochs, and old configs the task's", () => {
    expect(epochsOf(cfg, "baseline")).toBe(400);
    expect(epochsOf(cfg, "bilstm")).toBe(20);
    expect(configForAlgorithm(cfg, "bilstm").epochs).toBe(20);
    const old = { ...cfg, algorithmEpochs: undefined };
    expect(epochsOf(old, "bilstm")).toBe(100);
  });

  it("counts each algorithm's compute at its own epochs", () => {
    const perAlgorithm = taskComputeTflop(cfg.algorithms, cfg, data);
    const expected =
      (algorithmFlop("baseline", { ...cfg, epochs: 400, algorithmEpochs: {} }, 8, 10_000) +
        algorithmFlop("bilstm", { ...cfg, epochs: 20, algorithmEpochs: {} }, 8, 10_000)) /
      1e12;
    expect(perAlgorithm).toBeCloseTo(expected, 9);
    // Not the same as every algorithm at the task's 100 epochs.
    expect(perAlgorithm).not.toBeCloseTo(taskComputeTflop(cfg.algorithms, { ...cfg, algorithmEpochs: {} }, data), 3);
  });

  it("refuses an algorithm's epochs over the limit, naming the field", () => {
    const r = createTaskInput.safeParse({ ...cfg, algorithmEpochs: { bilstm: 6000 } });
    expect(r.success).toBe(false);
    const issue = r.error!.issues[0]!;
    expect(issue.path).toEqual(["algorithmEpochs", "bilstm"]);
    expect(english(issue.message, issue as unknown as Record<string, unknown>)).toBe("Epochs must be at most 5000");
  });
});
