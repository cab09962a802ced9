/** cancel: a running job is CANCELED at the handler's next check, and its handler stops. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { createTestUser } from "../server/testing/users.js";
import { eventsOf, killWorkers, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

describe("cancel", { timeout: 45_000 }, () => {
  it("cancels a running job through jobs.cancel: CANCELED, the handler stops early, and it stays CANCELED", async () => {
    const user = await createTestUser("cancel");
    const prefix = testPrefix("cancel");
    // One slot: a job sent after the cancel runs only once the cancelled handler has returned.
    await spawnWorker(prefix, { WORKER_CONCURRENCY: "1" });
    const id = (await q.send(prefix + "system.sleep", { ms: 30_000, steps: 150 }, { userId: user.id }))!;
    await waitFor("progress", async () => (await eventsOf(id)).some((e) => e.type === "progress"));
    expect((await user.caller.jobs.get({ id })).status).toBe("RUNNING");

    const after = await user.caller.jobs.cancel({ id });
    expect(after.status).toBe("CANCELED");
    const stepsAtCancel = (await eventsOf(id)).filter((e) => e.type === "progress").length;
    const stopped = await waitFor("the handler to stop", async () =>
      (await eventsOf(id)).find((e) => e.type === "log" && /^stopped at step/.test(e.payload.message)),
    );
    // Stopped at its first check after the cancel (steps are 200 ms; the heartbeat's signal would come after 5).
    const stepsDone = Number(/step (\d+)/.exec(stopped.payload.message)![1]);
    expect(stepsDone).toBeLessThanOrEqual(stepsAtCancel + 1);

    const next = (await q.send(prefix + "system.echo", { after: id }))!;
    await waitFor("the next job on the freed slot", async () => (await q.getJob(next))?.state === "completed");
    const j = (await q.getJob(id))!;
    expect([j.state, j.output]).toEqual(["cancelled", null]); // the handler's return did not complete it
    // No progress after the stop.
    const ev = await eventsOf(id);
    expect(ev.filter((e) => e.type === "progress").length).toBeLessThanOrEqual(stepsDone);
    await expect(user.caller.jobs.cancel({ id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cancels a waiting job so no worker ever runs it", async () => {
    const user = await createTestUser("cancel-wait");
    const prefix = testPrefix("cancel-wait");
    const id = (await q.send(prefix + "system.echo", null, { userId: user.id, startAfter: 0.5 }))!;
    expect((await user.caller.jobs.cancel({ id })).status).toBe("CANCELED");
    // A real worker serving the prefix runs a job queued after it, due later: it has polled past the cancelled one.
    await spawnWorker(prefix, { WORKER_CONCURRENCY: "1" });
    const later = (await q.send(prefix + "system.echo", null, { startAfter: 0.6 }))!;
    await waitFor("the later job", async () => (await q.getJob(later))?.state === "completed");
    const j = (await q.getJob(id))!;
    expect([j.state, j.lockedBy, j.startedAt]).toEqual(["cancelled", null, null]);
    expect((await eventsOf(id)).map((e) => e.payload.state)).toEqual(["created", "cancelled"]);
  });

  it("stops a handler through its AbortSignal at the next heartbeat, even if it never checks", async () => {
    const prefix = testPrefix("cancel-signal");
    await spawnWorker(prefix, { WORKER_HEARTBEAT_MS: "300" });
    // One step of 30 s: the handler never calls isCancelled() before the sleep ends, only the signal can stop it.
    const id = (await q.send(prefix + "system.sleep", { ms: 30_000, steps: 1 }))!;
    await waitFor("start", async () => (await eventsOf(id)).some((e) => e.type === "log"));
    await q.cancel(id);
    await waitFor(
      "the handler to stop",
      async () => (await eventsOf(id)).some((e) => e.type === "log" && e.payload.message === "stopped at step 0 of 1"),
      5000,
    );
  });
});
