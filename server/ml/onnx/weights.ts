import type { NamedWeight } from "../../../native/index.js";

/** The addon's named weights, looked up by name with a shape check (shared by every ONNX writer). */
export class Weights {
  private readonly byName: Map<string, NamedWeight>;
  constructor(weights: NamedWeight[]) {
    this.byName = new Map(weights.map((w) => [w.name, w]));
  }
  get(name: string, shape?: number[]): NamedWeight {
    const w = this.byName.get(name);
    if (!w) throw new Error(`ONNX export: weight '${name}' is missing`);
    if (shape && (w.shape.length !== shape.length || w.shape.some((d, i) => d !== shape[i]))) {
      throw new Error(`ONNX export: weight '${name}' has shape [${w.shape}], expected [${shape}]`);
    }
    return w;
  }
  has(name: string): boolean {
    return this.byName.has(name);
  }
}
