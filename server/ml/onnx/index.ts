export { writeBatteryOnnx, INPUT_NAME, OUTPUT_NAME, type BatteryOnnxOptions } from "./battery-onnx.js";
export { GraphBuilder, DEFAULT_OPSET, IR_VERSION } from "./graph-builder.js";
export { decodeModel, encodeModel } from "./onnx-schema.js";
