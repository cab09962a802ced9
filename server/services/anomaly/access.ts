/** Owned rows for anomaly detection (the ONNX session cache is server/services/energy/sessions.ts) (NOT_FOUND for anything foreign). */
import { TRPCError } from "@trpc/server";
import { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { AnomalyDetection } from "../../../db/models/anomaly-detection.js";
import { ownedOrNotFound } from "../owned.js";

export function ownDetector(userId: number, id: number): Promise<AnomalyDetector> {
  return ownedOrNotFound(AnomalyDetector, id, userId, "Detector not found");
}

export function ownDetection(userId: number, id: number): Promise<AnomalyDetection> {
  return ownedOrNotFound(AnomalyDetection, id, userId, "Detection not found");
}

/** A detector answers only for the asset it was fitted on: another asset's id is NOT_FOUND. */
export function assertSameAsset(d: AnomalyDetector, assetId: number) {
  if (d.assetId !== assetId) throw new TRPCError({ code: "NOT_FOUND", message: "Detector not found for this asset" });
}
