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

describe("cancel", () => {
  it("cancels a running job through jobs.cancel: CANCELED, the handler stops early, and it stays CANCELED", async () => {
    const user = await createTestUser("cancel");
    const prefix = testPrefix("cancel");
    await spawnWorker(prefix);
    const id = (await q.send(prefix + "system.sleep", { ms: 30_000, steps: 150 }, { userId: user.id }))!;
    await waitFor("progress", async () => (await eventsOf(id)).some((e) => e.type === "progress"));
    expect((await user.caller.jobs.get({ id })).status).toBe("RUNNING");

    const t0 = Date.now();
    const after = await user.caller.jobs.cancel({ id });
    expect(after.status).toBe("CANCELED");
    const stopped = await waitFor("the handler to stop", async () =>
      (await eventsOf(id)).find((e) => e.type === "log" && /^stopped at step/.test(e.payload.message)),
    );
    expect(Date.now() - t0).toBeLessThan(3000);
    const stepsDone = Number(/step (\d+)/.exec(stopped.payload.message)![1]);
    expect(stepsDone).toBeLessThan(150);

    await new Promise((r) => setTimeout(r, 500));
    const j = (await q.getJob(id))!;
    expect([j.state, j.output]).toEqual(["cancelled", null]); // the handler's return did not complete it
    // No progress after the stop.
    const ev = await eventsOf(id);
    expect(ev.filter((e) => e.type === "progress").length).toBeLessThanOrEqual(stepsDone);
    await expect(user.caller.jobs.cancel({ id })).rejects.toMatchObject({ code: "CONFLICT" });
  });

  it("cancels a waiting job so no worker ever runs it", async () => {
    const user = await createTestUser("cancel-wait");
    const name = testPrefix("cancel-wait") + "system.echo";
    const id = (await q.send(name, null, { userId: user.id, startAfter: 0.5 }))!;
    expect((await user.caller.jobs.cancel({ id })).status).toBe("CANCELED");
    await new Promise((r) => setTimeout(r, 600));
    expect(await q.fetch([name], 5, "w")).toEqual([]);
  });

  it("stops a handler through its AbortSignal at the next heartbeat, even if it never checks", async () => {
    const prefix = testPrefix("cancel-signal");
    await spawnWorker(prefix, { WORKER_HEARTBEAT_MS: "300" });
    // One step of 30 s: the handler never calls isCancelled() before the sleep ends, only the signal can stop it.
    const id = (await q.send(prefix + "system.sleep", { ms: 30_000, steps: 1 }))!;
    await waitFor("start", async () => (await eventsOf(id)).some((e) => e.type === "log"));
    await q.cancel(id);
    await waitFor("the handler to stop", async () =>
      (await eventsOf(id)).some((e) => e.type === "log" && e.payload.message === "stopped at step 0 of 1"),
      5000,
    );
  });
});
