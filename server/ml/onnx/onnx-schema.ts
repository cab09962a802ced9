/**
 * The subset of the ONNX protobuf schema this project writes, declared from the
 * field numbers of the ONNX IR specification (onnx/onnx.proto, proto2 syntax).
 * Only the messages needed to write inference models are listed.
 */
import protobuf from "protobufjs";

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;

/** AttributeProto.AttributeType values used here. */
export const AttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7, STRINGS: 8 } as const;

const f = (type: string, id: number) => ({ type, id });
const r = (type: string, id: number) => ({ rule: "repeated", type, id });

const root = protobuf.Root.fromJSON({
  nested: {
    onnx: {
      nested: {
        ModelProto: {
          fields: {
            irVersion: f("int64", 1),
            producerName: f("string", 2),
            producerVersion: f("string", 3),
            domain: f("string", 4),
            modelVersion: f("int64", 5),
            docString: f("string", 6),
            graph: f("GraphProto", 7),
            opsetImport: r("OperatorSetIdProto", 8),
            metadataProps: r("StringStringEntryProto", 14),
          },
        },
        OperatorSetIdProto: { fields: { domain: f("string", 1), version: f("int64", 2) } },
        StringStringEntryProto: { fields: { key: f("string", 1), value: f("string", 2) } },
        GraphProto: {
          fields: {
            node: r("NodeProto", 1),
            name: f("string", 2),
            initializer: r("TensorProto", 5),
            docString: f("string", 10),
            input: r("ValueInfoProto", 11),
            output: r("ValueInfoProto", 12),
            valueInfo: r("ValueInfoProto", 13),
          },
        },
        NodeProto: {
          fields: {
            input: r("string", 1),
            output: r("string", 2),
            name: f("string", 3),
            opType: f("string", 4),
            attribute: r("AttributeProto", 5),
            docString: f("string", 6),
            domain: f("string", 7),
          },
        },
        AttributeProto: {
          fields: {
            name: f("string", 1),
            f: f("float", 2),
            i: f("int64", 3),
            s: f("bytes", 4),
            t: f("TensorProto", 5),
            floats: r("float", 7),
            ints: r("int64", 8),
            strings: r("bytes", 9),
            docString: f("string", 13),
            type: f("int32", 20),
          },
        },
        TensorProto: {
          fields: {
            dims: r("int64", 1),
            dataType: f("int32", 2),
            floatData: r("float", 4),
            int64Data: r("int64", 7),
            name: f("string", 8),
            rawData: f("bytes", 9),
            docString: f("string", 12),
          },
        },
        ValueInfoProto: {
          fields: { name: f("string", 1), type: f("TypeProto", 2), docString: f("string", 3) },
        },
        TypeProto: {
          fields: { tensorType: f("TypeProtoTensor", 1), denotation: f("string", 6) },
        },
        // TypeProto.Tensor in onnx.proto (a nested message; its wire format does not depend on the name).
        TypeProtoTensor: { fields: { elemType: f("int32", 1), shape: f("TensorShapeProto", 2) } },
        TensorShapeProto: { fields: { dim: r("TensorShapeDimension", 1) } },
        // TensorShapeProto.Dimension: oneof value { dim_value = 1; dim_param = 2; }.
        TensorShapeDimension: {
          oneofs: { value: { oneof: ["dimValue", "dimParam"] } },
          fields: { dimValue: f("int64", 1), dimParam: f("string", 2), denotation: f("string", 3) },
        },
      },
    },
  },
});

export const ModelProto = root.lookupType("onnx.ModelProto");

// Plain object shapes accepted by ModelProto.fromObject (camelCase field names above).
export interface TensorShapeDimension {
  dimValue?: number;
  dimParam?: string;
}
export interface ValueInfo {
  name: string;
  type: { tensorType: { elemType: number; shape: { dim: TensorShapeDimension[] } } };
  docString?: string;
}
export interface Tensor {
  name: string;
  dims: number[];
  dataType: number;
  rawData: Uint8Array;
}
export interface Attribute {
  name: string;
  type: number;
  f?: number;
  i?: number;
  s?: Uint8Array;
  floats?: number[];
  ints?: number[];
  strings?: Uint8Array[];
}
export interface Node {
  name: string;
  opType: string;
  domain?: string;
  input: string[];
  output: string[];
  attribute: Attribute[];
}
export interface Graph {
  name: string;
  node: Node[];
  initializer: Tensor[];
  input: ValueInfo[];
  output: ValueInfo[];
  docString?: string;
}
export interface Model {
  irVersion: number;
  producerName: string;
  producerVersion: string;
  modelVersion?: number;
  docString?: string;
  graph: Graph;
  opsetImport: { domain: string; version: number }[];
  metadataProps: { key: string; value: string }[];
}

export function encodeModel(model: Model): Uint8Array {
  const message = ModelProto.fromObject(model);
  const problem = ModelProto.verify(message);
  if (problem) throw new Error(`ONNX model does not fit the schema: ${problem}`);
  return ModelProto.encode(message).finish();
}

export function decodeModel(bytes: Uint8Array): Model {
  return ModelProto.toObject(ModelProto.decode(bytes), { longs: Number, bytes: Array }) as unknown as Model;
}
