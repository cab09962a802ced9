/**
 * Builds an ONNX graph node by node: unique names, float32/int64 initialisers
 * (raw little-endian data), attributes, typed inputs and outputs.
 * Shared by the battery writers and, later, the energy models (opsets are passed in).
 */
import {
  AttributeType,
  DataType,
  encodeModel,
  type Attribute,
  type Node,
  type Tensor,
  type ValueInfo,
} from "./onnx-schema.js";

/** Default-domain opset; ai.onnx.ml would be { domain: "ai.onnx.ml", version: 3 }. */
export const DEFAULT_OPSET = { domain: "", version: 14 };
export const IR_VERSION = 8;

export type AttributeValue =
  number | string | number[] | { ints: number[] } | { floats: number[] } | { strings: string[] };

export interface TensorSpec {
  name: string;
  /** A number for a fixed size, a string for a symbolic one (e.g. "batch"). */
  shape: (number | string)[];
  docString?: string;
}

const encoder = new TextEncoder();

function bytesOf(view: Float32Array | BigInt64Array): Uint8Array {
  // ONNX raw_data is little-endian; so is every platform Node runs on here.
  return new Uint8Array(view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength));
}

function valueInfo(spec: TensorSpec): ValueInfo {
  return {
    name: spec.name,
    docString: spec.docString,
    type: {
      tensorType: {
        elemType: DataType.FLOAT,
        shape: { dim: spec.shape.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): Attribute {
  if (typeof value === "string") return { name, type: AttributeType.STRING, s: encoder.encode(value) };
  if (typeof value === "number") {
    return Number.isInteger(value)
      ? { name, type: AttributeType.INT, i: value }
      : { name, type: AttributeType.FLOAT, f: value };
  }
  if (!Array.isArray(value) && "strings" in value) {
    return { name, type: AttributeType.STRINGS, strings: value.strings.map((v) => encoder.encode(v)) };
  }
  if (Array.isArray(value) || "ints" in value) {
    return { name, type: AttributeType.INTS, ints: Array.isArray(value) ? value : value.ints };
  }
  return { name, type: AttributeType.FLOATS, floats: value.floats };
}

export class GraphBuilder {
  private readonly nodes: Node[] = [];
  private readonly initializers: Tensor[] = [];
  private readonly used = new Set<string>();

  /** A fresh value name based on `stem`. */
  name(stem: string): string {
    let candidate = stem;
    for (let i = 1; this.used.has(candidate); i++) candidate = `${stem}_${i}`;
    this.used.add(candidate);
    return candidate;
  }

  /** A float32 initialiser; returns its name. */
  float(stem: string, dims: number[], data: ArrayLike<number>): string {
    const count = dims.reduce((a, b) => a * b, 1);
    if (data.length !== count) {
      throw new Error(`ONNX initialiser ${stem}: ${data.length} values for shape [${dims.join(", ")}]`);
    }
    const name = this.name(stem);
    this.initializers.push({ name, dims, dataType: DataType.FLOAT, rawData: bytesOf(Float32Array.from(data)) });
    return name;
  }

  /** An int64 initialiser (shapes, indices); `dims` [] makes a scalar. */
  int64(stem: string, dims: number[], data: number[]): string {
    const name = this.name(stem);
    const values = BigInt64Array.from(data.map((v) => BigInt(v)));
    this.initializers.push({ name, dims, dataType: DataType.INT64, rawData: bytesOf(values) });
    return name;
  }

  /** Adds a node; returns its output names (`outputs` of them). */
  node(
    opType: string,
    inputs: string[],
    attributes: Record<string, AttributeValue> = {},
    outputs = 1,
    domain = "",
  ): string[] {
    const outs = Array.from({ length: outputs }, () => this.name(opType.toLowerCase()));
    this.nodes.push({
      name: this.name(`${opType}_node`),
      opType,
      domain,
      input: inputs,
      output: outs,
      attribute: Object.entries(attributes).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Adds a single-output node and returns that output. */
  op(opType: string, inputs: string[], attributes: Record<string, AttributeValue> = {}): string {
    return this.node(opType, inputs, attributes, 1)[0];
  }

  /** Renames the value `from` to the graph output name by an Identity node. */
  finish(options: {
    name: string;
    /** One input, or several (the energy models take "past" and "future"). */
    input: TensorSpec | TensorSpec[];
    output: TensorSpec & { from: string };
    docString?: string;
    metadata?: Record<string, string>;
    opsets?: { domain: string; version: number }[];
    producerVersion?: string;
  }): Uint8Array {
    this.nodes.push({
      name: this.name("Identity_output"),
      opType: "Identity",
      domain: "",
      input: [options.output.from],
      output: [options.output.name],
      attribute: [],
    });
    return encodeModel({
      irVersion: IR_VERSION,
      producerName: "voltlab",
      producerVersion: options.producerVersion ?? "0.1.0",
      docString: options.docString,
      opsetImport: options.opsets ?? [DEFAULT_OPSET],
      metadataProps: Object.entries(options.metadata ?? {}).map(([key, value]) => ({ key, value })),
      graph: {
        name: options.name,
        node: this.nodes,
        initializer: this.initializers,
        input: (Array.isArray(options.input) ? options.input : [options.input]).map(valueInfo),
        output: [valueInfo(options.output)],
      },
    });
  }
}
