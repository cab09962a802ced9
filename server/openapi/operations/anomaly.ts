/**
 * REST operations of anomaly detection: detectors (quantile and streaming), detections over a range
 * and real-time scoring (tag "Anomaly detection").
 */
import { z } from "zod";
import { out } from "../schemas.js";
import type { RestOperation } from "../operation.js";

export const anomalyOperations: RestOperation[] = [
  {
    procedure: "anomaly.fit",
    method: "POST",
    path: "/anomaly/detectors",
    summary: "Fit a quantile detector on a ready forecasting version",
    tag: "Anomaly detection",
    output: out.detector,
    errors: [404],
  },
  {
    procedure: "anomaly.fitStreaming",
    method: "POST",
    path: "/anomaly/streaming-detectors",
    summary:
      "Create a streaming detector on an asset (learns during probation, then scores each point from earlier ones " +
      "and raises one alert per anomaly); detect and score with it as with any detector",
    tag: "Anomaly detection",
    output: out.streamingDetector,
    errors: [404],
  },
  {
    procedure: "anomaly.detectors",
    method: "GET",
    path: "/anomaly/detectors",
    summary: "Detectors",
    tag: "Anomaly detection",
    output: z.array(out.detector).describe("Detectors"),
  },
  {
    procedure: "anomaly.detector",
    method: "GET",
    path: "/anomaly/detectors/{id}",
    summary: "A detector",
    tag: "Anomaly detection",
    output: out.detector,
  },
  {
    procedure: "anomaly.deleteDetector",
    method: "DELETE",
    path: "/anomaly/detectors/{id}",
    summary: "Delete a detector",
    tag: "Anomaly detection",
    output: out.deletedId,
  },
  {
    procedure: "anomaly.detect",
    method: "POST",
    path: "/anomaly/detectors/{detectorId}/detections",
    summary: "Detect anomalies over a range of the detector's asset (queued job)",
    tag: "Anomaly detection",
    output: out.detection,
    input: z.object({
      detectorId: z.number().int().positive(),
      from: z.number().int().min(0).nullish(),
      to: z.number().int().min(0).nullish(),
      mergeGap: z.number().int().min(1).max(10_000).optional(),
    }),
    toProcedure: (i) => ({ source: "range", ...i }),
  },
  {
    procedure: "anomaly.detections",
    method: "GET",
    path: "/anomaly/detections",
    summary: "Detections",
    tag: "Anomaly detection",
    output: z.array(out.detection).describe("Detections"),
  },
  {
    procedure: "anomaly.detection",
    method: "GET",
    path: "/anomaly/detections/{id}",
    summary: "A detection with events and chart points",
    tag: "Anomaly detection",
    output: out.detection,
  },
  {
    procedure: "anomaly.detectionCsv",
    method: "GET",
    path: "/anomaly/detections/{id}/csv",
    summary: "A detection's events or points as CSV text ({ filename, csv })",
    tag: "Anomaly detection",
    output: out.csvFile,
  },
  {
    procedure: "anomaly.deleteDetection",
    method: "DELETE",
    path: "/anomaly/detections/{id}",
    summary: "Delete a detection",
    tag: "Anomaly detection",
    output: out.deletedId,
  },
  {
    procedure: "anomaly.score",
    method: "POST",
    path: "/anomaly/score",
    summary: "Real time: score new points (forecast band, score and flag per point)",
    tag: "Anomaly detection",
    output: out.scored,
    errors: [404],
  },
  {
    procedure: "anomaly.stream",
    method: "GET",
    path: "/anomaly/detectors/{detectorId}/points",
    summary: "The latest scored points of a detector",
    tag: "Anomaly detection",
    output: out.detectorPoints,
  },
];
