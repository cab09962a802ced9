/**
 * The compute a training task asks for, estimated before it is queued (the per-task quota).
 *
 * Training costs about 6 floating-point operations per parameter and sample step (2 forward,
 * 4 backward). A task's estimate is the sum over its algorithms of
 *   6 · parameters · steps per sample · training samples · its epochs · repeats,
 * with BiLSTM's steps = its window and DeepHPM's u and G counted three times (the value and the
 * two derivative rows its physics residual carries through each layer). It is an estimate for a
 * limit, not a timing: the figure users read is in TFLOP (10¹² operations).
 */
import type { Algorithm, TaskConfig } from "../../schemas/training.js";
import { epochsOf, targetsOf } from "../../schemas/training.js";

const FLOP_PER_PARAM_STEP = 6;
const DEEPHPM_JET_ROWS = 3;

/** Weights and biases of an MLP: `inputs` → `layers` × `width` → `outputs`. */
export function mlpParameters(inputs: number, layers: number, width: number, outputs: number): number {
  let n = inputs * width + width;
  for (let l = 1; l < layers; l++) n += width * width + width;
  return n + width * outputs + outputs;
}

/** Weights and biases of a bidirectional LSTM stack with a linear head on its last step. */
export function bilstmParameters(inputs: number, layers: number, hidden: number, outputs: number): number {
  let n = 0;
  for (let l = 0; l < layers; l++) {
    const inWidth = l === 0 ? inputs : 2 * hidden;
    n += 2 * 4 * hidden * (inWidth + hidden + 2);
  }
  return n + 2 * hidden * outputs + outputs;
}

type ComputeConfig = Pick<
  TaskConfig,
  | "target"
  | "window"
  | "epochs"
  | "algorithmEpochs"
  | "repeats"
  | "hiddenLayers"
  | "hiddenWidth"
  | "lstmLayers"
  | "lstmHidden"
  | "physicsInputs"
>;

/** Operations (not TFLOP) one algorithm of a task needs for `trainSamples` samples of `inputs` columns. */
export function algorithmFlop(algorithm: Algorithm, cfg: ComputeConfig, inputs: number, trainSamples: number): number {
  const outputs = targetsOf(cfg.target).length;
  let paramSteps: number;
  if (algorithm === "bilstm") {
    paramSteps = bilstmParameters(inputs, cfg.lstmLayers, cfg.lstmHidden, outputs) * cfg.window;
  } else if (algorithm === "deephpm") {
    const u = mlpParameters(inputs, cfg.hiddenLayers, cfg.hiddenWidth, outputs);
    const g = mlpParameters(cfg.physicsInputs.length * outputs, cfg.hiddenLayers, cfg.hiddenWidth, outputs);
    paramSteps = DEEPHPM_JET_ROWS * (u + g);
  } else {
    paramSteps = mlpParameters(inputs, cfg.hiddenLayers, cfg.hiddenWidth, outputs);
  }
  return FLOP_PER_PARAM_STEP * paramSteps * trainSamples * epochsOf(cfg, algorithm) * cfg.repeats;
}

/** The whole task's estimate in TFLOP; `data` gives each algorithm's input width and training samples. */
export function taskComputeTflop(
  algorithms: readonly Algorithm[],
  cfg: ComputeConfig,
  data: (a: Algorithm) => { inputs: number; trainSamples: number },
): number {
  let flop = 0;
  for (const a of algorithms) {
    const d = data(a);
    flop += algorithmFlop(a, cfg, d.inputs, d.trainSamples);
  }
  return flop / 1e12;
}
