/**
 * ONNX export of the battery models from the weights the addon hands back
 * (native/index.ts). The graph takes RAW inputs and returns RAW targets:
 * z-scoring (Sub, Div) and de-normalisation (Mul, Add) are inside it.
 *
 * - Baseline / DeepHPM (u network only): Gemm + Tanh blocks, Dropout omitted.
 * - BiLSTM: one ONNX LSTM (direction=bidirectional) per layer. PyTorch gate
 *   blocks [i, f, g, o] are reordered to ONNX [i, o, f, c]; B = [Wb, Rb];
 *   the reverse direction comes from the *_reverse parameters. Between layers
 *   Y [seq, 2, batch, h] becomes [seq, batch, 2h]; the head reads the LAST time
 *   step of Y (not Y_h, which is the backward direction's state at t = 0).
 *
 * Input "input": [batch, inputDim] or [batch, window, inputDim], cycle number last.
 * Output "output": [batch, outputs].
 */
import type { ModelSpec, NamedWeight, Normalization } from "../../../native/index.js";
import { GraphBuilder } from "./graph-builder.js";
import { Weights } from "./weights.js";

export interface BatteryOnnxOptions {
  model: ModelSpec;
  weights: NamedWeight[];
  normalization: Normalization;
  /** Names of the input columns (cycle last) and of the targets, stored as metadata. */
  inputNames?: string[];
  targetNames?: string[];
  /** Extra metadata (model version id, dataset, ...). */
  metadata?: Record<string, string>;
}

export const INPUT_NAME = "input";
export const OUTPUT_NAME = "output";

/** PyTorch LSTM gate blocks [i, f, g, o] -> ONNX [i, o, f, c]. */
const LSTM_GATE_ORDER = [0, 3, 1, 2];

function mlp(g: GraphBuilder, weights: Weights, prefix: string, x: string, m: ModelSpec, inputs: number): string {
  const layers = m.hiddenLayers ?? 2;
  const width = m.hiddenWidth ?? 128;
  const outputs = m.outputs ?? 1;
  let h = x;
  let fanIn = inputs;
  for (let i = 0; i < layers; i++) {
    const w = weights.get(`${prefix}fc${i}.weight`, [width, fanIn]);
    const b = weights.get(`${prefix}fc${i}.bias`, [width]);
    h = g.op(
      "Gemm",
      [h, g.float(`${prefix}fc${i}.weight`, w.shape, w.data), g.float(`${prefix}fc${i}.bias`, b.shape, b.data)],
      { transB: 1 },
    );
    h = g.op("Tanh", [h]);
    fanIn = width;
  }
  const w = weights.get(`${prefix}out.weight`, [outputs, fanIn]);
  const b = weights.get(`${prefix}out.bias`, [outputs]);
  return g.op(
    "Gemm",
    [h, g.float(`${prefix}out.weight`, w.shape, w.data), g.float(`${prefix}out.bias`, b.shape, b.data)],
    { transB: 1 },
  );
}

/** Reorders the 4 gate blocks along the first axis of a [4h, ...] matrix. */
function reorderGates(data: Float32Array, hidden: number, rowLength: number): Float32Array {
  const out = new Float32Array(data.length);
  const block = hidden * rowLength;
  LSTM_GATE_ORDER.forEach((from, to) => out.set(data.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function bilstm(g: GraphBuilder, weights: Weights, x: string, m: ModelSpec): string {
  const hidden = m.lstmHidden ?? 64;
  const layers = m.lstmLayers ?? 2;
  const outputs = m.outputs ?? 1;
  // [batch, window, d] -> [window, batch, d] (ONNX LSTM layout 0).
  let seq = g.op("Transpose", [x], { perm: [1, 0, 2] });
  let inputs = m.inputDim;
  const flatShape = g.int64("seq_batch_features", [3], [0, 0, -1]);
  for (let l = 0; l < layers; l++) {
    const W: Float32Array[] = [];
    const R: Float32Array[] = [];
    const B: Float32Array[] = [];
    for (const suffix of ["", "_reverse"]) {
      const wih = weights.get(`lstm.weight_ih_l${l}${suffix}`, [4 * hidden, inputs]);
      const whh = weights.get(`lstm.weight_hh_l${l}${suffix}`, [4 * hidden, hidden]);
      const bih = weights.get(`lstm.bias_ih_l${l}${suffix}`, [4 * hidden]);
      const bhh = weights.get(`lstm.bias_hh_l${l}${suffix}`, [4 * hidden]);
      W.push(reorderGates(wih.data, hidden, inputs));
      R.push(reorderGates(whh.data, hidden, hidden));
      B.push(concat([reorderGates(bih.data, hidden, 1), reorderGates(bhh.data, hidden, 1)]));
    }
    const [y] = g.node(
      "LSTM",
      [
        seq,
        g.float(`lstm_W_l${l}`, [2, 4 * hidden, inputs], concat(W)),
        g.float(`lstm_R_l${l}`, [2, 4 * hidden, hidden], concat(R)),
        g.float(`lstm_B_l${l}`, [2, 8 * hidden], concat(B)),
      ],
      { hidden_size: hidden, direction: "bidirectional" },
      1,
    );
    // Y [seq, 2, batch, h] -> [seq, batch, 2, h] -> [seq, batch, 2h] (forward half first, as PyTorch).
    seq = g.op("Reshape", [g.op("Transpose", [y], { perm: [0, 2, 1, 3] }), flatShape]);
    inputs = 2 * hidden;
  }
  const last = g.op("Gather", [seq, g.int64("last_step", [], [-1])], { axis: 0 }); // [batch, 2h]
  const w = weights.get("head.weight", [outputs, 2 * hidden]);
  const b = weights.get("head.bias", [outputs]);
  return g.op("Gemm", [last, g.float("head.weight", w.shape, w.data), g.float("head.bias", b.shape, b.data)], {
    transB: 1,
  });
}

function checkStats(name: string, values: ArrayLike<number>, length: number, positive: boolean): void {
  if (values.length !== length)
    throw new Error(`ONNX export: normalization.${name} has ${values.length} values, expected ${length}`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]) || (positive && !(values[i] > 0))) {
      throw new Error(`ONNX export: normalization.${name}[${i}] must be finite${positive ? " and > 0" : ""}`);
    }
  }
}

/** Serialised ModelProto (opset 14, IR 8) for a Baseline, BiLSTM or DeepHPM model. */
export function writeBatteryOnnx(options: BatteryOnnxOptions): Uint8Array {
  const { model: m, normalization: n } = options;
  const outputs = m.outputs ?? 1;
  const window = m.window ?? 1;
  const sequence = m.kind === "bilstm";
  checkStats("xMean", n.xMean, m.inputDim, false);
  checkStats("xStd", n.xStd, m.inputDim, true);
  checkStats("yMean", n.yMean, outputs, false);
  checkStats("yStd", n.yStd, outputs, true);

  const g = new GraphBuilder();
  g.name(INPUT_NAME);
  g.name(OUTPUT_NAME);
  const weights = new Weights(options.weights);
  // Same operations, in the same order, as the addon's predict with normalization.
  const z = g.op("Div", [
    g.op("Sub", [INPUT_NAME, g.float("x_mean", [m.inputDim], n.xMean)]),
    g.float("x_std", [m.inputDim], n.xStd),
  ]);
  let y: string;
  switch (m.kind) {
    case "baseline":
      y = mlp(g, weights, "", z, m, m.inputDim);
      break;
    case "deephpm":
      y = mlp(g, weights, "u.", z, m, m.inputDim);
      break;
    case "bilstm":
      y = bilstm(g, weights, z, m);
      break;
    default:
      throw new Error(`ONNX export: unknown model kind '${(m as { kind: string }).kind}'`);
  }
  const raw = g.op("Add", [
    g.op("Mul", [y, g.float("y_std", [outputs], n.yStd)]),
    g.float("y_mean", [outputs], n.yMean),
  ]);

  const metadata: Record<string, string> = {
    "voltlab.model_kind": m.kind,
    "voltlab.model_spec": JSON.stringify(m),
    ...(options.inputNames ? { "voltlab.input_names": JSON.stringify(options.inputNames) } : {}),
    ...(options.targetNames ? { "voltlab.target_names": JSON.stringify(options.targetNames) } : {}),
    ...options.metadata,
  };
  return g.finish({
    name: `voltlab_${m.kind}`,
    docString:
      `VoltLab ${m.kind} battery model. Input: raw values, cycle number in the last column. ` +
      `Output: raw targets (normalisation is inside the graph).`,
    input: { name: INPUT_NAME, shape: sequence ? ["batch", window, m.inputDim] : ["batch", m.inputDim] },
    output: { name: OUTPUT_NAME, shape: ["batch", outputs], from: raw },
    metadata,
  });
}
