/**
 * One cell's per-sample results as a compact little-endian Float64 blob:
 * cycle[n], then for each target (the job's order) y_true[n], y_pred[n].
 */
import type { TestTarget } from "../../schemas/testing.js";

export interface CellSeries {
  cycle: Float64Array;
  byTarget: Partial<Record<TestTarget, { yTrue: Float64Array; yPred: Float64Array }>>;
}

export function encodeCell(s: CellSeries, targets: TestTarget[]): Buffer {
  const n = s.cycle.length;
  const all = new Float64Array(n * (1 + 2 * targets.length));
  all.set(s.cycle, 0);
  targets.forEach((t, j) => {
    const v = s.byTarget[t]!;
    all.set(v.yTrue, n * (1 + 2 * j));
    all.set(v.yPred, n * (2 + 2 * j));
  });
  const buf = Buffer.alloc(all.length * 8);
  for (let i = 0; i < all.length; i++) buf.writeDoubleLE(all[i], i * 8);
  return buf;
}

export function decodeCell(buf: Buffer, n: number, targets: TestTarget[]): CellSeries {
  const expected = n * (1 + 2 * targets.length) * 8;
  if (buf.length !== expected) throw new Error(`cell blob has ${buf.length} bytes, expected ${expected}`);
  const col = (c: number) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = buf.readDoubleLE((c * n + i) * 8);
    return out;
  };
  const byTarget: CellSeries["byTarget"] = {};
  targets.forEach((t, j) => (byTarget[t] = { yTrue: col(1 + 2 * j), yPred: col(2 + 2 * j) }));
  return { cycle: col(0), byTarget };
}
