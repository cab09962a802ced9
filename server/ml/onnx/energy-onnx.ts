/**
 * ONNX export of the energy forecasters. Every graph has the same interface:
 *   input  "past"   [batch, L, pastDim]  RAW: target first, past covariates, then the
 *                                        known-in-advance columns (calendar …) last;
 *   input  "future" [batch, H, futureDim] RAW known-in-advance columns of the horizon;
 *   output "quantiles" [batch, H, Q]      RAW target units, ascending along Q (TopK with
 *                                        largest = 0 sorts them: the quantiles never cross).
 * Scaling with the training statistics is inside the graph.
 *
 * - LSTM / TiDE / TFT (opset 14): from the weights the addon hands back (native/energy.ts),
 *   z-scoring inputs (Sub, Div, NaN → 0), the network, de-scaling (Mul, Add). Layer norms are
 *   written out as in native/core/energy/nets.cc. LSTM gate blocks [i, f, g, o] → [i, o, f, c].
 * - GBDT (opset 14 + ai.onnx.ml 3): the lag features are built in-graph (Gather of the target
 *   window padded with one NaN at index L, the future columns, the step h), then one
 *   TreeEnsembleRegressor holding every quantile's trees (target_ids = quantile), parsed from
 *   XGBoost's JSON model: the condition is x < split_condition (BRANCH_LT), default_left
 *   sends NaN left (nodes_missing_value_tracks_true), base_score (learner_model_param) goes
 *   to base_values. Trees predict the scaled target; Mul/Add de-scale.
 */
import type { NamedWeight } from "../../../native/index.js";
import type { EnergyNetSpec, EnergyScaling, GbdtSpec } from "../../../native/energy.js";
import { DEFAULT_OPSET, GraphBuilder } from "./graph-builder.js";
import { Weights } from "./weights.js";

export const PAST_INPUT = "past";
export const FUTURE_INPUT = "future";
export const QUANTILES_OUTPUT = "quantiles";
export const ML_OPSET = { domain: "ai.onnx.ml", version: 3 };

const LSTM_GATE_ORDER = [0, 3, 1, 2];
const EPS = 1e-5;
const MASK_VALUE = -1e9;

function transpose2d(w: NamedWeight): Float32Array {
  const [rows, cols] = w.shape;
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[c * rows + r] = w.data[r * cols + c];
  return out;
}

function reorderGates(data: Float32Array, hidden: number, rowLength: number): Float32Array {
  const out = new Float32Array(data.length);
  const block = hidden * rowLength;
  LSTM_GATE_ORDER.forEach((from, to) => out.set(data.subarray(from * block, (from + 1) * block), to * block));
  return out;
}

/** Graph helpers over a GraphBuilder and the weights. */
class Ops {
  constructor(
    readonly g: GraphBuilder,
    readonly w: Weights,
  ) {}
  i64(values: number[], scalar = false): string {
    return this.g.int64("c", scalar ? [] : [values.length], values);
  }
  f32(value: number): string {
    return this.g.float("c", [], [value]);
  }
  linear(x: string, prefix: string): string {
    const W = this.w.get(`${prefix}.weight`);
    const b = this.w.get(`${prefix}.bias`);
    const [out, inp] = W.shape;
    const y = this.g.op("MatMul", [x, this.g.float(`${prefix}.weight_t`, [inp, out], transpose2d(W))]);
    return this.g.op("Add", [y, this.g.float(`${prefix}.bias`, b.shape, b.data)]);
  }
  param(name: string): string {
    const p = this.w.get(name);
    return this.g.float(name, p.shape, p.data);
  }
  norm(x: string, prefix: string): string {
    const g = this.g;
    const mean = g.op("ReduceMean", [x], { axes: [-1], keepdims: 1 });
    const c = g.op("Sub", [x, mean]);
    const v = g.op("ReduceMean", [g.op("Mul", [c, c])], { axes: [-1], keepdims: 1 });
    const z = g.op("Div", [c, g.op("Sqrt", [g.op("Add", [v, this.f32(EPS)])])]);
    return g.op("Add", [g.op("Mul", [z, this.param(`${prefix}.weight`)]), this.param(`${prefix}.bias`)]);
  }
  slice(x: string, axis: number, start: number, length: number): string {
    return this.g.op("Slice", [x, this.i64([start]), this.i64([start + length]), this.i64([axis])]);
  }
  reshape(x: string, shape: number[]): string {
    return this.g.op("Reshape", [x, this.i64(shape)]);
  }
  unsqueeze(x: string, axis: number): string {
    return this.g.op("Unsqueeze", [x, this.i64([axis])]);
  }
  squeeze(x: string, axis: number): string {
    return this.g.op("Squeeze", [x, this.i64([axis])]);
  }
  concat(xs: string[], axis: number): string {
    return this.g.op("Concat", xs, { axis });
  }
  /** PyTorch LSTM (batch_first) over x [batch, seq, in]; returns Y [batch, seq, h] and the final states. */
  lstm(x: string, prefix: string, layer: number, hidden: number, inputs: number, init?: { h: string; c: string }) {
    const g = this.g;
    const wih = this.w.get(`${prefix}.weight_ih_l${layer}`, [4 * hidden, inputs]);
    const whh = this.w.get(`${prefix}.weight_hh_l${layer}`, [4 * hidden, hidden]);
    const bih = this.w.get(`${prefix}.bias_ih_l${layer}`, [4 * hidden]);
    const bhh = this.w.get(`${prefix}.bias_hh_l${layer}`, [4 * hidden]);
    const B = new Float32Array(8 * hidden);
    B.set(reorderGates(bih.data, hidden, 1), 0);
    B.set(reorderGates(bhh.data, hidden, 1), 4 * hidden);
    const seq = g.op("Transpose", [x], { perm: [1, 0, 2] });
    const inputsList = [
      seq,
      g.float(`${prefix}_W_l${layer}`, [1, 4 * hidden, inputs], reorderGates(wih.data, hidden, inputs)),
      g.float(`${prefix}_R_l${layer}`, [1, 4 * hidden, hidden], reorderGates(whh.data, hidden, hidden)),
      g.float(`${prefix}_B_l${layer}`, [1, 8 * hidden], B),
    ];
    if (init) inputsList.push("", init.h, init.c);
    const [y, yh, yc] = g.node("LSTM", inputsList, { hidden_size: hidden }, 3);
    const out = g.op("Transpose", [this.reshape(y, [0, -1, hidden])], { perm: [1, 0, 2] }); // [batch, seq, h]
    return { y: out, h: yh, c: yc };
  }
  resBlock(x: string, prefix: string): string {
    const h = this.linear(this.g.op("Relu", [this.linear(x, `${prefix}.fc1`)]), `${prefix}.fc2`);
    return this.norm(this.g.op("Add", [h, this.linear(x, `${prefix}.skip`)]), `${prefix}.ln`);
  }
  glu(x: string, prefix: string): string {
    return this.g.op("Mul", [
      this.g.op("Sigmoid", [this.linear(x, `${prefix}.gate`)]),
      this.linear(x, `${prefix}.value`),
    ]);
  }
  grn(a: string, prefix: string): string {
    const eta = this.linear(this.g.op("Elu", [this.linear(a, `${prefix}.fc1`)]), `${prefix}.fc2`);
    const skip = this.w.has(`${prefix}.skip.weight`) ? this.linear(a, `${prefix}.skip`) : a;
    return this.norm(this.g.op("Add", [skip, this.glu(eta, `${prefix}.glu`)]), `${prefix}.ln`);
  }
  /** x [batch, T, V] → [batch, T, d] (native VsnImpl: per-variable GRNs batched over V). */
  vsn(x: string, prefix: string, T: number): string {
    const g = this.g;
    const emb = this.w.get(`${prefix}.emb_w`);
    const [V, d] = emb.shape;
    const e = g.op("Add", [
      g.op("Mul", [this.unsqueeze(x, -1), this.param(`${prefix}.emb_w`)]),
      this.param(`${prefix}.emb_b`),
    ]);
    const weights = g.op("Softmax", [this.grn(this.reshape(e, [0, 0, -1]), `${prefix}.selector`)], { axis: -1 });
    const a = this.reshape(g.op("Transpose", [e], { perm: [2, 0, 1, 3] }), [V, -1, d]);
    const mm = (v: string, wName: string, bName: string) =>
      g.op("Add", [g.op("MatMul", [v, this.param(wName)]), this.param(bName)]);
    const eta = mm(g.op("Elu", [mm(a, `${prefix}.w1`, `${prefix}.b1`)]), `${prefix}.w2`, `${prefix}.b2`);
    const glu = g.op("Mul", [
      g.op("Sigmoid", [mm(eta, `${prefix}.wg`, `${prefix}.bg`)]),
      mm(eta, `${prefix}.wv`, `${prefix}.bv`),
    ]);
    const h = g.op("Transpose", [this.reshape(this.norm(g.op("Add", [a, glu]), `${prefix}.ln`), [V, -1, T, d])], {
      perm: [1, 2, 0, 3],
    });
    return g.op("ReduceSum", [g.op("Mul", [h, this.unsqueeze(weights, -1)]), this.i64([-2])], { keepdims: 0 });
  }
}

function checkStats(name: string, values: ArrayLike<number>, length: number, positive: boolean): void {
  if (values.length !== length)
    throw new Error(`ONNX export: scaling.${name} has ${values.length} values, expected ${length}`);
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]) || (positive && !(values[i] > 0)))
      throw new Error(`ONNX export: scaling.${name}[${i}] must be finite${positive ? " and > 0" : ""}`);
  }
}

/**
 * Split-conformal offsets per quantile, added after the sort (then sorted again): raw target
 * units, or with `scale` (the adaptive band, server/services/energy/band-scale.ts) units of the
 * window's scale s, so the graph adds offset_τ · s.
 */
export interface QuantileCalibration {
  offsets: number[];
  /** `median`: the index of the median quantile when the band is centred on it (median + offset · s). */
  scale?: { lag: number; ref: number; floor: number; median?: number };
}

/**
 * The band scale s [batch] of each input window, as windowScale/effectiveScale in
 * server/services/energy/band-scale.ts: the mean of the finite |y_t − y_{t−lag}| over the target
 * column of "past", at least `floor`, `ref` where the window has no finite pair.
 */
function bandScaleNodes(g: GraphBuilder, L: number, scale: NonNullable<QuantileCalibration["scale"]>): string {
  const ops = new Ops(g, new Weights([]));
  const { lag, ref, floor } = scale;
  if (!(Number.isInteger(lag) && lag >= 1 && lag < L) || !(ref > 0) || !(floor >= 0))
    throw new Error(`ONNX export: band scale needs 1 ≤ lag < ${L}, ref > 0 and floor ≥ 0`);
  const window = g.op("Gather", [PAST_INPUT, ops.i64([0], true)], { axis: 2 }); // [batch, L]
  const d = g.op("Abs", [g.op("Sub", [ops.slice(window, 1, lag, L - lag), ops.slice(window, 1, 0, L - lag)])]);
  const nan = g.op("IsNaN", [d]);
  const count = g.op("ReduceSum", [g.op("Cast", [g.op("Not", [nan])], { to: 1 }), ops.i64([1])], { keepdims: 0 });
  const sum = g.op("ReduceSum", [g.op("Where", [nan, ops.f32(0), d]), ops.i64([1])], { keepdims: 0 });
  const s = g.op("Div", [sum, count]); // NaN (0 / 0) when no pair is finite
  return g.op("Where", [
    g.op("IsNaN", [s]),
    g.float("band_scale_ref", [], [ref]),
    g.op("Max", [s, g.float("band_scale_floor", [], [floor])]),
  ]);
}

function finish(
  g: GraphBuilder,
  o: {
    name: string;
    doc: string;
    L: number;
    H: number;
    pastDim: number;
    futureDim: number;
    Q: number;
    raw: string;
    opsets: { domain: string; version: number }[];
    metadata: Record<string, string>;
    calibration?: QuantileCalibration | null;
  },
): Uint8Array {
  // Sort along Q (ascending): monotone quantiles.
  const sort = (x: string) =>
    g.node("TopK", [x, g.int64("q_count", [1], [o.Q])], { axis: -1, largest: 0, sorted: 1 }, 2)[0];
  let sorted = sort(o.raw);
  const cal = o.calibration;
  if (cal) {
    if (cal.offsets.length !== o.Q || !cal.offsets.every(Number.isFinite))
      throw new Error(`ONNX export: calibration needs ${o.Q} finite offsets`);
    let shift = g.float("calibration_offsets", [o.Q], cal.offsets);
    if (cal.scale) {
      const s = g.op("Unsqueeze", [bandScaleNodes(g, o.L, cal.scale), g.int64("c", [2], [1, 2])]); // [batch, 1, 1]
      shift = g.op("Mul", [s, shift]); // [batch, 1, Q]
      const m = cal.scale.median;
      if (m !== undefined) {
        if (!(Number.isInteger(m) && m >= 0 && m < o.Q)) throw new Error(`ONNX export: median index ${m} out of range`);
        const mid = g.op("Slice", [sorted, g.int64("c", [1], [m]), g.int64("c", [1], [m + 1]), g.int64("c", [1], [2])]);
        sorted = mid; // [batch, H, 1]: every quantile is the median plus its offset · s
      }
    }
    sorted = sort(g.op("Add", [sorted, shift]));
    o.metadata = { ...o.metadata, "voltlab.calibration": JSON.stringify(cal) };
  }
  return g.finish({
    name: o.name,
    docString: o.doc,
    input: [
      { name: PAST_INPUT, shape: ["batch", o.L, o.pastDim] },
      { name: FUTURE_INPUT, shape: ["batch", o.H, o.futureDim] },
    ],
    output: { name: QUANTILES_OUTPUT, shape: ["batch", o.H, o.Q], from: sorted },
    opsets: o.opsets,
    metadata: o.metadata,
  });
}

export interface EnergyNetOnnxOptions {
  model: EnergyNetSpec;
  weights: NamedWeight[];
  scaling: EnergyScaling;
  quantiles: number[];
  metadata?: Record<string, string>;
  calibration?: QuantileCalibration | null;
}

export function writeEnergyNetOnnx(options: EnergyNetOnnxOptions): Uint8Array {
  const { model: m, scaling: s } = options;
  const L = m.lookback,
    H = m.horizon,
    Q = m.quantiles,
    C = m.futureDim;
  const hidden = m.hidden ?? 64;
  const layers = m.layers ?? 1;
  checkStats("pastMean", s.pastMean, m.pastDim, false);
  checkStats("pastStd", s.pastStd, m.pastDim, true);
  checkStats("futureMean", s.futureMean, C, false);
  checkStats("futureStd", s.futureStd, C, true);
  checkStats("yStd", [s.yStd], 1, true);
  if (options.quantiles.length !== Q) throw new Error("ONNX export: quantiles do not match model.quantiles");

  const g = new GraphBuilder();
  [PAST_INPUT, FUTURE_INPUT, QUANTILES_OUTPUT].forEach((n) => g.name(n));
  const o = new Ops(g, new Weights(options.weights));
  const zero = o.f32(0);
  const z = (x: string, mean: number[], std: number[], stem: string) => {
    const v = g.op("Div", [
      g.op("Sub", [x, g.float(`${stem}_mean`, [mean.length], mean)]),
      g.float(`${stem}_std`, [std.length], std),
    ]);
    return g.op("Where", [g.op("IsNaN", [v]), zero, v]);
  };
  const past = z(PAST_INPUT, s.pastMean, s.pastStd, "past");
  const future = z(FUTURE_INPUT, s.futureMean, s.futureStd, "future");
  const target = g.op("Gather", [past, o.i64([0], true)], { axis: 2 }); // [batch, L]

  let y: string;
  if (m.kind === "lstm") {
    let seq = past;
    let inputs = m.pastDim;
    for (let l = 0; l < layers; l++) {
      seq = o.lstm(seq, "lstm", l, hidden, inputs).y;
      inputs = hidden;
    }
    const last = g.op("Gather", [seq, o.i64([L - 1], true)], { axis: 1 });
    const head = o.linear(o.concat([last, o.reshape(future, [0, -1]), target], 1), "head");
    y = o.reshape(head, [-1, H, Q]);
  } else if (m.kind === "tide") {
    const own = m.pastDim - C;
    const r = C > 0 ? (m.projDim ?? 4) : 0;
    const encIn = [o.reshape(o.slice(past, 2, 0, own), [0, -1])];
    let covp = "";
    if (r) {
      covp = o.resBlock(o.concat([o.slice(past, 2, own, C), future], 1), "proj");
      encIn.push(o.reshape(covp, [0, -1]));
    }
    let h = o.concat(encIn, 1);
    for (let i = 0; i < layers; i++) h = o.resBlock(h, `enc${i}`);
    for (let i = 0; i < layers; i++) h = o.resBlock(h, `dec${i}`);
    let d = o.reshape(h, [-1, H, m.decoderDim ?? 8]);
    if (r) d = o.concat([d, o.slice(covp, 1, L, H)], 2);
    const skip = o.reshape(o.linear(target, "skip"), [-1, H, Q]);
    y = g.op("Add", [o.resBlock(d, "temporal"), skip]);
  } else if (m.kind === "tft") {
    const heads = m.heads ?? 4;
    const dk = hidden / heads;
    const T = L + H;
    const ps = o.vsn(past, "vsn_past", L);
    const fs = o.vsn(future, "vsn_future", H);
    const enc = o.lstm(ps, "encoder", 0, hidden, hidden);
    const dec = o.lstm(fs, "decoder", 0, hidden, hidden, { h: enc.h, c: enc.c });
    const lstmOut = o.concat([enc.y, dec.y], 1);
    const temporal = o.norm(g.op("Add", [o.concat([ps, fs], 1), o.glu(lstmOut, "glu_lstm")]), "ln_lstm");
    const enriched = o.grn(temporal, "enrich");
    const fut = o.slice(enriched, 1, L, H);
    const q = g.op("Transpose", [o.reshape(o.linear(fut, "attn_q"), [0, H, heads, dk])], { perm: [0, 2, 1, 3] });
    const k = g.op("Transpose", [o.reshape(o.linear(enriched, "attn_k"), [0, T, heads, dk])], { perm: [0, 2, 3, 1] });
    const v = o.unsqueeze(o.linear(enriched, "attn_v"), 1);
    const mask = new Float32Array(H * T);
    for (let i = 0; i < H; i++) for (let j = 0; j < T; j++) mask[i * T + j] = j <= L + i ? 0 : MASK_VALUE;
    const scores = g.op("Add", [
      g.op("Div", [g.op("MatMul", [q, k]), o.f32(Math.sqrt(dk))]),
      g.float("attn_mask", [H, T], mask),
    ]);
    const attn = g.op("ReduceMean", [g.op("MatMul", [g.op("Softmax", [scores], { axis: -1 }), v])], {
      axes: [1],
      keepdims: 0,
    });
    const a = o.norm(g.op("Add", [fut, o.glu(o.linear(attn, "attn_o"), "glu_attn")]), "ln_attn");
    const p = o.grn(a, "ff");
    const out = o.norm(g.op("Add", [o.slice(temporal, 1, L, H), o.glu(p, "glu_out")]), "ln_out");
    y = o.linear(out, "head");
  } else {
    throw new Error(`ONNX export: unknown energy model kind '${(m as { kind: string }).kind}'`);
  }
  const raw = g.op("Add", [g.op("Mul", [y, g.float("y_std", [1], [s.yStd])]), g.float("y_mean", [1], [s.yMean])]);
  return finish(g, {
    name: `voltlab_energy_${m.kind}`,
    doc: `VoltLab ${m.kind} energy forecaster: raw past [batch, ${L}, ${m.pastDim}] and future [batch, ${H}, ${C}] → quantiles [batch, ${H}, ${Q}] (${options.quantiles.join(", ")}), ascending.`,
    L,
    H,
    pastDim: m.pastDim,
    futureDim: C,
    Q,
    raw,
    calibration: options.calibration,
    opsets: [DEFAULT_OPSET],
    metadata: {
      "voltlab.model_kind": m.kind,
      "voltlab.model_spec": JSON.stringify(m),
      "voltlab.quantiles": JSON.stringify(options.quantiles),
      ...options.metadata,
    },
  });
}

// ---- GBDT ------------------------------------------------------------------------------

/** [H × nLag] window positions of the lag features (index L = missing), as gbdtLagIndex in native/core/energy/gbdt.cc. */
export function gbdtLagIndex(s: Pick<GbdtSpec, "lookback" | "horizon" | "season" | "recentLags" | "seasonalDays">): {
  index: number[];
  perStep: number;
} {
  const L = s.lookback;
  const recent = s.recentLags ?? 16,
    days = s.seasonalDays ?? 4;
  const index: number[] = [];
  for (let h = 0; h < s.horizon; h++) {
    for (let r = 1; r <= recent; r++) index.push(r <= L ? L - r : L);
    for (let k = 1; k <= days; k++) {
      for (let d = -1; d <= 1; d++) {
        const pos = L + h - k * s.season + d;
        index.push(pos >= 0 && pos < L ? pos : L);
      }
    }
  }
  return { index, perStep: recent + 3 * days };
}

interface XgbTree {
  left_children: number[];
  right_children: number[];
  split_indices: number[];
  split_conditions: number[];
  default_left: (number | boolean)[];
}

/** Trees and base score of an XGBoost JSON model (SaveModelToBuffer format "json"). */
export function parseXgboostJson(json: string): { trees: XgbTree[]; baseScore: number } {
  const doc = JSON.parse(json);
  const learner = doc.learner;
  const trees: XgbTree[] = learner?.gradient_booster?.model?.trees;
  if (!Array.isArray(trees)) throw new Error("ONNX export: not an XGBoost gbtree JSON model");
  const baseScore = Number(learner.learner_model_param.base_score);
  if (!Number.isFinite(baseScore)) throw new Error("ONNX export: XGBoost base_score missing");
  return { trees, baseScore };
}

export interface EnergyGbdtOnnxOptions {
  model: GbdtSpec;
  pastDim: number;
  /** XGBoost JSON models, one per quantile (ascending). */
  xgbModels: string[];
  quantiles: number[];
  yMean: number;
  yStd: number;
  metadata?: Record<string, string>;
  calibration?: QuantileCalibration | null;
}

export function writeEnergyGbdtOnnx(options: EnergyGbdtOnnxOptions): Uint8Array {
  const { model: m } = options;
  const L = m.lookback,
    H = m.horizon,
    C = m.futureDim,
    Q = options.xgbModels.length;
  if (Q !== options.quantiles.length) throw new Error("ONNX export: one XGBoost model per quantile");
  if (C < 1) throw new Error("ONNX export: GBDT needs at least one known-in-advance column");
  checkStats("yStd", [options.yStd], 1, true);
  const g = new GraphBuilder();
  [PAST_INPUT, FUTURE_INPUT, QUANTILES_OUTPUT].forEach((n) => g.name(n));
  const o = new Ops(g, new Weights([]));
  const { index, perStep } = gbdtLagIndex(m);
  const F = perStep + C + 1;

  const window = g.op("Gather", [PAST_INPUT, o.i64([0], true)], { axis: 2 }); // [batch, L] raw target
  const padded = g.op("Pad", [window, o.i64([0, 0, 0, 1]), o.f32(NaN)], { mode: "constant" });
  const lags = g.op("Gather", [padded, g.int64("lag_index", [H, perStep], index)], { axis: 1 }); // [batch, H, nLag]
  const steps = g.float(
    "horizon_step",
    [H, 1],
    Array.from({ length: H }, (_, h) => h),
  );
  const hcol = g.op("Add", [g.op("Mul", [o.slice(FUTURE_INPUT, 2, 0, 1), o.f32(0)]), steps]);
  const features = o.reshape(o.concat([lags, FUTURE_INPUT, hcol], 2), [-1, F]);

  const attrs = {
    nodes_treeids: [] as number[],
    nodes_nodeids: [] as number[],
    nodes_featureids: [] as number[],
    nodes_modes: [] as string[],
    nodes_values: [] as number[],
    nodes_truenodeids: [] as number[],
    nodes_falsenodeids: [] as number[],
    nodes_missing_value_tracks_true: [] as number[],
    target_treeids: [] as number[],
    target_nodeids: [] as number[],
    target_ids: [] as number[],
    target_weights: [] as number[],
  };
  const baseValues: number[] = [];
  let treeId = 0;
  options.xgbModels.forEach((json, q) => {
    const { trees, baseScore } = parseXgboostJson(json);
    baseValues.push(baseScore);
    for (const t of trees) {
      for (let i = 0; i < t.left_children.length; i++) {
        const leaf = t.left_children[i] === -1;
        attrs.nodes_treeids.push(treeId);
        attrs.nodes_nodeids.push(i);
        attrs.nodes_featureids.push(leaf ? 0 : t.split_indices[i]);
        attrs.nodes_modes.push(leaf ? "LEAF" : "BRANCH_LT");
        attrs.nodes_values.push(leaf ? 0 : t.split_conditions[i]);
        attrs.nodes_truenodeids.push(leaf ? 0 : t.left_children[i]);
        attrs.nodes_falsenodeids.push(leaf ? 0 : t.right_children[i]);
        attrs.nodes_missing_value_tracks_true.push(leaf ? 0 : Number(t.default_left[i]) ? 1 : 0);
        if (leaf) {
          attrs.target_treeids.push(treeId);
          attrs.target_nodeids.push(i);
          attrs.target_ids.push(q);
          attrs.target_weights.push(t.split_conditions[i]); // a leaf's split_condition holds its value
        }
      }
      treeId++;
    }
  });
  const [scaled] = g.node(
    "TreeEnsembleRegressor",
    [features],
    {
      n_targets: Q,
      aggregate_function: "SUM",
      post_transform: "NONE",
      base_values: { floats: baseValues },
      nodes_treeids: { ints: attrs.nodes_treeids },
      nodes_nodeids: { ints: attrs.nodes_nodeids },
      nodes_featureids: { ints: attrs.nodes_featureids },
      nodes_modes: { strings: attrs.nodes_modes },
      nodes_values: { floats: attrs.nodes_values },
      nodes_truenodeids: { ints: attrs.nodes_truenodeids },
      nodes_falsenodeids: { ints: attrs.nodes_falsenodeids },
      nodes_missing_value_tracks_true: { ints: attrs.nodes_missing_value_tracks_true },
      target_treeids: { ints: attrs.target_treeids },
      target_nodeids: { ints: attrs.target_nodeids },
      target_ids: { ints: attrs.target_ids },
      target_weights: { floats: attrs.target_weights },
    },
    1,
    "ai.onnx.ml",
  );
  const y = o.reshape(scaled, [-1, H, Q]);
  const raw = g.op("Add", [
    g.op("Mul", [y, g.float("y_std", [1], [options.yStd])]),
    g.float("y_mean", [1], [options.yMean]),
  ]);
  return finish(g, {
    name: "voltlab_energy_gbdt",
    doc: `VoltLab GBDT energy forecaster (XGBoost, ${treeId} trees): raw past [batch, ${L}, ${options.pastDim}] (target in column 0) and future [batch, ${H}, ${C}] → quantiles [batch, ${H}, ${Q}], ascending.`,
    L,
    H,
    pastDim: options.pastDim,
    futureDim: C,
    Q,
    raw,
    calibration: options.calibration,
    opsets: [DEFAULT_OPSET, ML_OPSET],
    metadata: {
      "voltlab.model_kind": "gbdt",
      "voltlab.model_spec": JSON.stringify(m),
      "voltlab.quantiles": JSON.stringify(options.quantiles),
      ...options.metadata,
    },
  });
}

// ---- Seasonal naive ----------------------------------------------------------------------

/**
 * Window positions of the seasonal forecasts, [H × days]: step h, day k (1 … days) reads
 * L + h − (⌊h/s⌋ + k)·s; a position before the window is −1 (left out of the mean).
 */
export function seasonalIndex(
  L: number,
  H: number,
  season: number,
  days: number,
): { index: number[]; widen: number[] } {
  const index: number[] = [],
    widen: number[] = [];
  for (let h = 0; h < H; h++) {
    const k0 = Math.floor(h / season);
    if (L + h - (k0 + 1) * season < 0)
      throw new Error(
        `ONNX export: a seasonal forecast needs a lookback of at least ${(k0 + 1) * season - h} steps (season ${season}, horizon ${H})`,
      );
    for (let k = 1; k <= days; k++) {
      const pos = L + h - (k0 + k) * season;
      index.push(pos >= 0 ? pos : -1);
    }
    widen.push(Math.sqrt(k0 + 1));
  }
  return { index, widen };
}

export interface SeasonalOnnxOptions {
  lookback: number;
  horizon: number;
  season: number;
  /** 1: seasonal naive (a missing value: one season further back); more: the mean (or median) of that many past days at the same time. */
  days: number;
  /** With days > 1: "mean" (default) or "median" (missing days count at the mean of the known ones; see seasonalPoint in forecasting.ts). */
  statistic?: "mean" | "median";
  pastDim: number;
  futureDim: number;
  quantiles: number[];
  /** Per quantile: the τ-quantile of the training part's errors of this point forecast one season ahead (raw units). */
  spread: number[];
  calibration?: QuantileCalibration | null;
}

/**
 * Seasonal naive / mean / median as a graph: the point forecast is the mean (or median) of the finite values
 * among y[L + h − (⌊h/s⌋ + k)·s], k = 1 … days (seasonal naive: days = 1, falling back one more
 * season when that value is missing), plus spread_τ · √(⌊h/s⌋ + 1). "future" is an input for the
 * common interface and is not read.
 */
export function writeSeasonalOnnx(o: SeasonalOnnxOptions): Uint8Array {
  const L = o.lookback,
    H = o.horizon,
    Q = o.quantiles.length;
  if (o.spread.length !== Q || !o.spread.every(Number.isFinite))
    throw new Error(`ONNX export: a seasonal forecast needs ${Q} finite spreads`);
  const g = new GraphBuilder();
  [PAST_INPUT, FUTURE_INPUT, QUANTILES_OUTPUT].forEach((n) => g.name(n));
  const ops = new Ops(g, new Weights([]));
  // Seasonal naive reads one more day as its fallback for a missing value.
  const K = o.days === 1 ? 2 : o.days;
  const { index, widen } = seasonalIndex(L, H, o.season, K);
  const window = g.op("Gather", [PAST_INPUT, ops.i64([0], true)], { axis: 2 }); // [batch, L]
  const padded = g.op("Pad", [window, ops.i64([0, 0, 0, 1]), ops.f32(NaN)], { mode: "constant" }); // index L = missing
  const vals = g.op(
    "Gather",
    [
      padded,
      g.int64(
        "seasonal_index",
        [H, K],
        index.map((i) => (i < 0 ? L : i)),
      ),
    ],
    { axis: 1 },
  ); // [batch, H, K]
  let base: string;
  if (o.days === 1) {
    const a = ops.squeeze(ops.slice(vals, 2, 0, 1), 2),
      b = ops.squeeze(ops.slice(vals, 2, 1, 1), 2);
    base = g.op("Where", [g.op("IsNaN", [a]), b, a]); // [batch, H]
  } else {
    const nan = g.op("IsNaN", [vals]);
    const zeroed = g.op("Where", [nan, ops.f32(0), vals]);
    const count = g.op("ReduceSum", [g.op("Cast", [g.op("Not", [nan])], { to: 1 }), ops.i64([2])], { keepdims: 0 });
    base = g.op("Div", [g.op("ReduceSum", [zeroed, ops.i64([2])], { keepdims: 0 }), count]); // NaN when no day is known
    if (o.statistic === "median") {
      // Missing days take the mean of the known ones, then the middle of the sorted days (two middle ones averaged when K is even).
      const filled = g.op("Where", [nan, ops.unsqueeze(base, -1), vals]);
      const sorted = g.node(
        "TopK",
        [filled, g.int64("days_count", [1], [K])],
        { axis: 2, largest: 0, sorted: 1 },
        2,
      )[0];
      const a = ops.squeeze(ops.slice(sorted, 2, Math.floor((K - 1) / 2), 1), 2),
        b = ops.squeeze(ops.slice(sorted, 2, Math.floor(K / 2), 1), 2);
      base = g.op("Mul", [g.op("Add", [a, b]), ops.f32(0.5)]);
    }
  }
  const spread = g.float(
    "seasonal_spread",
    [H, Q],
    Array.from({ length: H * Q }, (_, i) => o.spread[i % Q] * widen[Math.floor(i / Q)]),
  );
  const raw = g.op("Add", [ops.unsqueeze(base, -1), spread]);
  const kind = o.days === 1 ? "seasonal-naive" : o.statistic === "median" ? "seasonal-median" : "seasonal-mean";
  return finish(g, {
    name: `voltlab_energy_${kind.replace("-", "_")}`,
    doc: `VoltLab ${kind} forecaster (season ${o.season} steps, ${o.days} day(s)): raw past [batch, ${L}, ${o.pastDim}] (target in column 0) → quantiles [batch, ${H}, ${Q}], ascending.`,
    L,
    H,
    pastDim: o.pastDim,
    futureDim: o.futureDim,
    Q,
    raw,
    calibration: o.calibration,
    opsets: [DEFAULT_OPSET],
    metadata: {
      "voltlab.model_kind": kind,
      "voltlab.quantiles": JSON.stringify(o.quantiles),
      "voltlab.season": String(o.season),
      "voltlab.days": String(o.days),
    },
  });
}
