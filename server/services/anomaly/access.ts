/** Owned rows for anomaly detection (the ONNX session cache is server/services/energy/sessions.ts) (NOT_FOUND for anything foreign). */
import { userError } from "../../trpc/errors.js";
import { AnomalyDetector } from "../../../db/models/anomaly-detector.js";
import { AnomalyDetection } from "../../../db/models/anomaly-detection.js";
import { ownedOrNotFound } from "../owned.js";

export function ownDetector(userId: number, id: number): Promise<AnomalyDetector> {
  return ownedOrNotFound(AnomalyDetector, id, userId, "anomaly:errors.detectorNotFound");
}

export function ownDetection(userId: number, id: number): Promise<AnomalyDetection> {
  return ownedOrNotFound(AnomalyDetection, id, userId, "anomaly:errors.detectionNotFound");
}

/** A detector answers only for the asset it was fitted on: another asset's id is NOT_FOUND. */
export function assertSameAsset(d: AnomalyDetector, assetId: number) {
  if (d.assetId !== assetId) throw userError("NOT_FOUND", "anomaly:errors.detectorNotForAsset");
}
