/**
 * ONNX forecasting sessions by model version, one bounded cache for the whole web process
 * (forecast pages, batch detection and real-time scoring share it; each holds a model in memory).
 */
import type { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { Lru } from "../lru.js";
import { OnnxForecaster, type ForecasterConfig } from "./forecasting.js";

const sessions = new Lru<number, Promise<OnnxForecaster>>(16);

export function forecasterFor(v: Pick<EnergyModelVersion, "id" | "userId">): Promise<OnnxForecaster> {
  let s = sessions.get(v.id);
  if (!s) {
    s = (async () => {
      const store = artifacts();
      const [onnx, config] = await Promise.all([
        store.get(artifactKey(v.userId, "energy-models", v.id, "model.onnx")),
        store.get(artifactKey(v.userId, "energy-models", v.id, "config.json")),
      ]);
      return OnnxForecaster.create(new Uint8Array(onnx), JSON.parse(config.toString("utf8")) as ForecasterConfig);
    })();
    s.catch(() => sessions.delete(v.id));
    sessions.set(v.id, s);
  }
  return s;
}

/** Drops a deleted version's session. */
export function forgetForecaster(versionId: number): void {
  sessions.delete(versionId);
}

/**
 * A version's calibrated quantiles for windows past [n, L, D] and future [n, H, C] (raw), as
 * [n][H][Q]: the one function anomaly code calls. The conformal offsets are inside the graph
 * (forecasting.ts), so this equals the forecast page, the CSV and the exported ONNX file.
 */
export async function calibratedQuantiles(
  v: Pick<EnergyModelVersion, "id" | "userId">,
  past: Float32Array,
  future: Float32Array,
  n: number,
): Promise<Float32Array> {
  return (await forecasterFor(v)).run(past, future, n);
}
