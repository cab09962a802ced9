/**
 * energy.detect: batch anomaly detection ({ detectionId }) over a range of the asset or an
 * uploaded file: a streaming detector replays the same code real-time scoring runs (one event
 * per alert); a quantile detector scores with its model version (ONNX), flags and groups
 * events (progress per forecast batch). Writes points.json.
 */
import { AnomalyDetection } from "../../db/models/anomaly-detection.js";
import { runDetection } from "../../server/services/anomaly/detections.js";
import { completedInTransaction, JobNoLongerActive } from "../lifecycle.js";
import { errorMessage } from "../queue.js";
import { registerHandler } from "../registry.js";

registerHandler<{ detectionId: number }>("energy.detect", async (job, ctx) => {
  const id = job.data.detectionId;
  try {
    let last = 0;
    const out = await runDetection(
      id,
      async (done, total) => {
        // At most ~50 progress events per run.
        if (done === total || done - last >= total / 50) {
          last = done;
          await ctx.progress(done, total, { phase: "score" });
        }
      },
      ctx.signal,
      { id: ctx.jobId, workerId: ctx.workerId },
    );
    await ctx.log(
      `${out.points} points, ${out.scored} scored, ${out.flagged} flagged, ${out.events} events (${out.seconds.toFixed(1)} s)`,
    );
    return completedInTransaction(out);
  } catch (e) {
    const cancelled = ctx.signal.aborted || e instanceof JobNoLongerActive;
    await AnomalyDetection.query()
      .findById(id)
      .patch({ status: cancelled ? "CANCELED" : "FAILED", error: errorMessage(e).slice(0, 2000) });
    if (cancelled) return { detectionId: id, cancelled: true };
    throw e;
  }
});
