/** Owned rows for anomaly detection (the ONNX session cache is server/services/energy/sessions.ts) (NOT_FOUND for anything foreign). */
import { TRPCError } from "@trpc/server";
import { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { AnomalyDetection } from "../../../db/models/anomaly-detection.js";

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

/** A detector answers only for the asset it was fitted on: another asset's id is NOT_FOUND. */
export function assertSameAsset(d: AnomalyDetector, assetId: number) {
  if (d.assetId !== assetId) throw new TRPCError({ code: "NOT_FOUND", message: "Detector not found for this asset" });
}
