/** Small built-in handlers: smoke tests of a deployment, and the queue's own tests. */
import { registerHandler } from "../registry.js";

/** Returns its data; with `record`, first appends a metric naming the worker (to count runs). */
registerHandler<{ record?: boolean; [k: string]: unknown }>("system.echo", async (job, ctx) => {
  if (job.data?.record) await ctx.metric({ ranOn: ctx.workerId, attempt: ctx.attempt });
  return job.data;
});

/**
 * Sleeps `ms` in `steps` steps, reporting progress and checking for cancel between steps
 * (like a training loop between epochs). Stops early when cancelled or shut down.
 */
registerHandler<{ ms?: number; steps?: number }>("system.sleep", async (job, ctx) => {
  const total = Math.max(1, job.data?.steps ?? 10);
  const stepMs = Math.max(0, (job.data?.ms ?? 1000) / total);
  await ctx.log(`sleeping ${job.data?.ms ?? 1000} ms in ${total} steps (attempt ${ctx.attempt})`);
  for (let i = 1; i <= total; i++) {
    await abortableSleep(stepMs, ctx.signal);
    if (ctx.signal.aborted || (await ctx.isCancelled())) {
      await ctx.log(`stopped at step ${i - 1} of ${total}`, "warn");
      return { stoppedAt: i - 1 };
    }
    await ctx.progress(i, total);
  }
  return { slept: job.data?.ms ?? 1000 };
});

/** Always throws (with `message`): exercises retries and the kept error. */
registerHandler<{ message?: string }>("system.fail", async (job, ctx) => {
  await ctx.log(`failing on attempt ${ctx.attempt}`);
  throw new Error(job.data?.message ?? "system.fail always fails");
});

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
