/**
 * An MLP of log10 cycle life on early-life features, trained through the native addon (the
 * Baseline MLP of native/index.ts, CPU, 1 thread). With a few dozen training cells the network is
 * small, full-batch, and an ensemble: each member keeps its best epoch on a seeded 20 % of the
 * training cells held out for validation, and the prediction is the members' mean. Inputs and the
 * target are z-scored with the training cells' statistics; the settings are fixed in advance
 * (MLP_SETTINGS), not tuned on any test cell.
 */
import { predict as nativePredict, train, type ModelSpec, type NamedWeight } from "../../../native/index.js";
import { mulberry32 } from "../../ml/random.js";

export const MLP_SETTINGS = {
  hiddenLayers: 2,
  hiddenWidth: 32,
  dropout: 0.1,
  epochs: 1500,
  learningRate: 3e-3,
  inputNoise: 0.1,
  members: 5,
  valFraction: 0.2,
} as const;

export interface MlpModel {
  spec: ModelSpec;
  members: NamedWeight[][];
  norm: { xMean: number[]; xStd: number[]; yMean: number[]; yStd: number[] };
}

function stats(cols: number[][]): { mean: number[]; std: number[] } {
  const mean = cols.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
  const std = cols.map((c, j) => Math.sqrt(c.reduce((a, b) => a + (b - mean[j]) ** 2, 0) / c.length) || 1);
  return { mean, std };
}

const tensor = (rows: number[][], width: number) => ({
  data: Float32Array.from(rows.flat()),
  shape: [rows.length, width],
});

export async function fitMlp(x: number[][], y: number[], seed = 1): Promise<MlpModel> {
  const p = x[0].length;
  const xs = stats(Array.from({ length: p }, (_, j) => x.map((r) => r[j])));
  const ys = stats([y]);
  const norm = { xMean: xs.mean, xStd: xs.std, yMean: ys.mean, yStd: ys.std };
  const zx = x.map((r) => r.map((v, j) => (v - xs.mean[j]) / xs.std[j]));
  const zy = y.map((v) => [(v - ys.mean[0]) / ys.std[0]]);
  const spec: ModelSpec = {
    kind: "baseline",
    inputDim: p,
    outputs: 1,
    hiddenLayers: MLP_SETTINGS.hiddenLayers,
    hiddenWidth: MLP_SETTINGS.hiddenWidth,
    dropout: MLP_SETTINGS.dropout,
  };
  const members: NamedWeight[][] = [];
  for (let m = 0; m < MLP_SETTINGS.members; m++) {
    const rnd = mulberry32(seed * 1000 + m);
    const order = x.map((_, i) => i).sort(() => rnd() - 0.5);
    const nVal = Math.max(1, Math.round(x.length * MLP_SETTINGS.valFraction));
    const val = new Set(order.slice(0, nVal));
    const tr = x.map((_, i) => i).filter((i) => !val.has(i));
    const va = [...val];
    const res = await train({
      model: spec,
      xTrain: tensor(
        tr.map((i) => zx[i]),
        p,
      ),
      yTrain: tensor(
        tr.map((i) => zy[i]),
        1,
      ),
      xVal: tensor(
        va.map((i) => zx[i]),
        p,
      ),
      yVal: tensor(
        va.map((i) => zy[i]),
        1,
      ),
      epochs: MLP_SETTINGS.epochs,
      batchSize: 1024,
      learningRate: MLP_SETTINGS.learningRate,
      inputNoise: MLP_SETTINGS.inputNoise,
      seed: seed * 1000 + m,
      threads: 1,
    }).promise;
    members.push(res.weights);
  }
  return { spec, members, norm };
}

/** Mean of the members' raw-unit predictions. */
export function predictMlp(m: MlpModel, x: number[][]): number[] {
  const p = m.spec.inputDim;
  const sum = new Float64Array(x.length);
  for (const w of m.members) {
    const out = nativePredict(m.spec, w, tensor(x, p), { normalization: m.norm });
    out.data.forEach((v, i) => (sum[i] += v));
  }
  return Array.from(sum, (s) => s / m.members.length);
}
