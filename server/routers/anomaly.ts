import { tracked } from "@trpc/server";
import { router, protectedProcedure } from "../trpc/init.js";
import {
  detectInput,
  detectionCsvInput,
  detectionGetInput,
  detectionIdInput,
  detectionListInput,
  detectorIdInput,
  detectorListInput,
  fitDetectorInput,
  fitStreamingInput,
  liveInput,
  scoreInput,
  streamInput,
} from "../schemas/anomaly.js";
import * as detectors from "../services/anomaly/detectors.js";
import * as detections from "../services/anomaly/detections.js";
import * as realtime from "../services/anomaly/realtime.js";
import * as streaming from "../services/anomaly/streaming-detector.js";
import { ownDetector } from "../services/anomaly/access.js";

async function* liveStream(
  userId: number,
  detectorId: number,
  lastEventId: string | null,
  signal: AbortSignal | undefined,
) {
  let after = lastEventId ? Number(lastEventId) : 0;
  if (!lastEventId) {
    // Without a cursor: only points that arrive from now on (the page loads recent ones with `stream`).
    const latest = await realtime.recentPoints(userId, detectorId, 1);
    after = latest.points.length ? latest.points[0].ts : 0;
  }
  while (!signal?.aborted) {
    const pts = await realtime.pointsAfter(userId, detectorId, after);
    for (const p of pts) {
      after = p.ts;
      yield tracked(String(p.ts), p);
    }
    if (pts.length < 500) await new Promise((r) => setTimeout(r, 500));
  }
}

export const anomalyRouter = router({
  /** Fits a quantile detector on a ready version's residual scores (clean points of the fit range). */
  fit: protectedProcedure
    .input(fitDetectorInput)
    .mutation(({ ctx, input }) => detectors.fitDetector(ctx.user.id, input)),
  /** Creates a streaming detector on an asset (the default kind): probation, then online scores and event alerts. */
  fitStreaming: protectedProcedure
    .input(fitStreamingInput)
    .mutation(({ ctx, input }) => streaming.fitStreamingDetector(ctx.user.id, input)),
  detectors: protectedProcedure
    .input(detectorListInput)
    .query(({ ctx, input }) => detectors.listDetectors(ctx.user.id, input)),
  detector: protectedProcedure
    .input(detectorIdInput)
    .query(({ ctx, input }) => detectors.getDetector(ctx.user.id, input.id)),
  deleteDetector: protectedProcedure
    .input(detectorIdInput)
    .mutation(({ ctx, input }) => detectors.deleteDetector(ctx.user.id, input.id)),
  /** Queues an energy.detect job over a range of the asset or an uploaded file (jobId for live progress). */
  detect: protectedProcedure
    .input(detectInput)
    .mutation(({ ctx, input }) => detections.startDetection(ctx.user.id, input)),
  detections: protectedProcedure
    .input(detectionListInput)
    .query(({ ctx, input }) => detections.listDetections(ctx.user.id, input.detectorId)),
  /** A detection with its events and chart points (all flagged points, the rest thinned to maxPoints). */
  detection: protectedProcedure
    .input(detectionGetInput)
    .query(({ ctx, input }) => detections.getDetection(ctx.user.id, input.id, input.maxPoints)),
  detectionCsv: protectedProcedure
    .input(detectionCsvInput)
    .query(({ ctx, input }) => detections.detectionCsv(ctx.user.id, input.id, input.what)),
  deleteDetection: protectedProcedure
    .input(detectionIdInput)
    .mutation(({ ctx, input }) => detections.deleteDetection(ctx.user.id, input.id)),
  /** Real time: scores new points (forecast q10/q50/q90, score, flag per point) and stores them. */
  score: protectedProcedure.input(scoreInput).mutation(({ ctx, input }) => realtime.scorePoints(ctx.user.id, input)),
  /** The latest points posted for a detector (the live page's first view, or polling). */
  stream: protectedProcedure
    .input(streamInput)
    .query(({ ctx, input }) => realtime.recentPoints(ctx.user.id, input.detectorId, input.limit)),
  /** Scored points of a detector as they arrive (resumable: the cursor is the last point's ts). */
  live: protectedProcedure.input(liveInput).subscription(async ({ ctx, input, signal }) => {
    // Access is checked before the stream starts (a foreign detector fails the call itself).
    await ownDetector(ctx.user.id, input.detectorId);
    return liveStream(ctx.user.id, input.detectorId, input.lastEventId ?? null, signal);
  }),
});
