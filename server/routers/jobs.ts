import { z } from "zod";
import { router, protectedProcedure } from "../trpc/init.js";
import { TASK_STATUSES } from "../../jobs/states.js";
import * as jobs from "../services/jobs.js";
import { onlineWorkers } from "../../jobs/placement.js";

const jobId = z.number().int().positive();

export const jobsRouter = router({
  get: protectedProcedure.input(z.object({ id: jobId })).query(({ ctx, input }) => jobs.getJob(ctx.user.id, input.id)),
  list: protectedProcedure
    .input(
      z
        .object({
          status: z.enum(TASK_STATUSES).optional(),
          name: z.string().max(120).optional(),
          groupId: z.string().max(64).optional(),
          limit: z.number().int().min(1).max(200).default(50),
          beforeId: jobId.optional(),
        })
        .default({}),
    )
    .query(({ ctx, input }) => jobs.listJobs(ctx.user.id, input)),
  /** The workers online (host, device, queues, last heartbeat): where work can run right now. */
  workers: protectedProcedure.query(async () =>
    (await onlineWorkers()).map((w) => ({
      id: w.id,
      host: w.host,
      device: w.device,
      deviceName: w.deviceName,
      queues: w.queues,
      concurrency: w.concurrency,
      startedAt: w.startedAt,
      heartbeatAt: w.heartbeatAt,
    })),
  ),
  cancel: protectedProcedure
    .input(z.object({ id: jobId }))
    .mutation(({ ctx, input }) => jobs.cancelJob(ctx.user.id, input.id)),
  /**
   * Live events of one job (jobId) or of a group of jobs (groupId), resumable with lastEventId:
   * yields tracked(cursor, JobStreamEvent); status changes arrive as `status` events.
   */
  events: protectedProcedure
    .input(
      z.object({
        jobId: jobId.optional(),
        groupId: z.string().min(1).max(64).optional(),
        lastEventId: z.string().max(4000).nullish(),
      }),
    )
    .subscription(({ ctx, input, signal }) => jobs.openEventStream(ctx.user.id, input, { signal })),
});
