/**
 * The explicit contract between a handler that completes its job inside its own transaction
 * (jobs/lifecycle.ts completeIfActive + completedInTransaction) and the worker: the job is
 * completed exactly once with the domain's output; a handler that claims a completion that did
 * not happen fails its job with an error saying so (before, the worker's own complete silently
 * stored the claim as the output); a result the worker could not record is said in its log.
 */
import { afterAll, describe, expect, it } from "vitest";
import { closeDb, db } from "../db/db.js";
import { completedInTransaction, completeIfActive, JobNoLongerActive } from "./lifecycle.js";
import * as q from "./queue.js";
import { registerHandler } from "./registry.js";
import { eventsOf, testPrefix, waitFor } from "./testing.js";
import { Worker } from "./worker-runtime.js";

const tag = testPrefix("lifecycle").slice(0, -1);
const IN_TRX = `${tag}-in-trx`;
const FALSE_CLAIM = `${tag}-false-claim`;
const AFTER_CANCEL = `${tag}-after-cancel`;
let release: () => void = () => {};

registerHandler(IN_TRX, async (_job, ctx) => {
  const output = { kept: "in the domain's transaction" };
  await db().transaction((trx) => completeIfActive(trx, { id: ctx.jobId, workerId: ctx.workerId }, output));
  return completedInTransaction(output);
});
registerHandler(FALSE_CLAIM, async () => completedInTransaction({ claimed: true }));
registerHandler(AFTER_CANCEL, async () => {
  await new Promise<void>((r) => (release = r));
  return { late: true };
});

const lines: string[] = [];
const worker = new Worker({
  concurrency: 3,
  pollMs: 50,
  heartbeatMs: 60_000,
  maintenanceMs: 60_000,
  graceMs: 1000,
  purgeAfterSeconds: 86_400,
  only: [IN_TRX, FALSE_CLAIM, AFTER_CANCEL],
  log: (l) => lines.push(l),
});
worker.start();

afterAll(async () => {
  await worker.stop(1000);
  await closeDb();
});

const ended = (id: number) =>
  waitFor(
    `job ${id} to end`,
    async () => {
      const j = await q.getJob(id);
      return j && ["completed", "failed", "cancelled"].includes(j.state) ? j : null;
    },
    20_000,
    50,
  );

describe("completing a job in the domain's transaction", { timeout: 30_000 }, () => {
  it("completes it once, with the domain's output", async () => {
    const id = (await q.send(IN_TRX, null))!;
    const j = await ended(id);
    expect([j.state, j.output]).toEqual(["completed", { kept: "in the domain's transaction" }]);
    const states = (await eventsOf(id)).filter((e) => e.type === "status").map((e) => e.payload.state);
    expect(states).toEqual(["created", "active", "completed"]);
  });

  it("fails a job whose handler claims a completion that did not happen, and says why", async () => {
    const id = (await q.send(FALSE_CLAIM, null))!;
    const j = await ended(id);
    expect(j.state).toBe("failed");
    expect(j.error).toMatch(/completed the job in its transaction, but the job is still active/);
  });

  it("a job cancelled while its handler runs stays CANCELED, the worker logs the result it dropped, and completeIfActive refuses it", async () => {
    const id = (await q.send(AFTER_CANCEL, null))!;
    await waitFor("the handler to start", async () => (await q.getJob(id))?.state === "active", 20_000, 50);
    const holder = (await q.getJob(id))!.lockedBy!;
    expect(await q.cancel(id)).toBe(true);
    release();
    await waitFor("the worker's note", async () => lines.find((l) => l.includes(`job ${id} is cancelled`)), 20_000, 50);
    expect((await q.getJob(id))!.state).toBe("cancelled");
    await expect(
      db().transaction((trx) => completeIfActive(trx, { id, workerId: holder }, null)),
    ).rejects.toBeInstanceOf(JobNoLongerActive);
  });
});
