/** Owned rows and cached ONNX sessions for anomaly detection (NOT_FOUND for anything foreign). */
import { TRPCError } from "@trpc/server";
import { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { AnomalyDetection } from "../../../db/models/anomaly-detection.js";
import type { EnergyModelVersion } from "../../../db/models/energy-model-version.js";
import { artifactKey, artifacts } from "../../storage/artifacts.js";
import { OnnxForecaster, type ForecasterConfig } from "../energy/forecasting.js";
import { Lru } from "./lru.js";

export async function ownDetector(userId: number, id: number): Promise<AnomalyDetector> {
  const d = await AnomalyDetector.query().findById(id);
  if (!d || d.userId !== userId) throw new TRPCError({ code: "NOT_FOUND", message: "Detector not found" });
  return d;
}

export async function ownDetection(userId: number, id: number): Promise<AnomalyDetection> {
  const d = await AnomalyDetection.query().findById(id);
  if (!d || d.userId !== userId) throw new TRPCError({ code: "NOT_FOUND", message: "Detection not found" });
  return d;
}

/** ONNX sessions by model version (bounded: each holds the model in memory). */
const sessions = new Lru<number, Promise<OnnxForecaster>>(16);

export function forecasterFor(v: Pick<EnergyModelVersion, "id" | "userId">): Promise<OnnxForecaster> {
  let s = sessions.get(v.id);
  if (!s) {
    s = (async () => {
      const store = artifacts();
      const [onnx, config] = await Promise.all([
        store.get(artifactKey(v.userId, "models", v.id, "model.onnx")),
        store.get(artifactKey(v.userId, "models", v.id, "config.json")),
      ]);
      return OnnxForecaster.create(new Uint8Array(onnx), JSON.parse(config.toString("utf8")) as ForecasterConfig);
    })();
    s.catch(() => sessions.delete(v.id));
    sessions.set(v.id, s);
  }
  return s;
}

export function forgetForecaster(versionId: number): void {
  sessions.delete(versionId);
}
