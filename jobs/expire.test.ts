/** expire: a worker killed mid-job loses it when its heartbeat expires; another worker retries and finishes it. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { eventsOf, killWorkers, rows, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

describe("expire", { timeout: 60_000 }, () => {
  it("retries the job of a SIGKILLed worker on another worker after the heartbeat expires", async () => {
    const prefix = testPrefix("expire");
    const fast = { WORKER_HEARTBEAT_MS: "1000", WORKER_MAINTENANCE_MS: "500" };
    const a = await spawnWorker(prefix, fast);
    const id = (await q.send(prefix + "system.sleep", { ms: 2500, steps: 10 }, { expireIn: 3, retryLimit: 1 }))!;
    await waitFor("A to run it", async () => (await eventsOf(id)).some((e) => e.type === "progress"));
    expect((await q.getJob(id))!.lockedBy).toBe(a.id);
    // A heartbeat A wrote before it died (its last one is this or later).
    const heartbeatBeforeKill = new Date((await q.getJob(id))!.heartbeatAt!).getTime();
    a.proc.kill("SIGKILL");
    await a.exited;
    const b = await spawnWorker(prefix, fast);

    const done = await waitFor(
      "B to finish it",
      async () => {
        const j = await q.getJob(id);
        return j?.state === "completed" ? j : null;
      },
      30_000,
    );
    expect(done.lockedBy).toBe(b.id);
    expect(done.retryCount).toBe(1);
    expect(done.error).toMatch(/^expired: no heartbeat from /);
    const statusEvents = (await eventsOf(id)).filter((e) => e.type === "status");
    // Released only once the heartbeat was expireIn (3 s) old, by the database's clock on both sides.
    const retriedAt = new Date(statusEvents.find((e) => e.payload.state === "retry")!.createdAt).getTime();
    expect(retriedAt - heartbeatBeforeKill).toBeGreaterThanOrEqual(3000);
    const states = statusEvents.map((e) => [e.payload.state, e.payload.lockedBy]);
    expect(states).toEqual([
      ["created", null],
      ["active", a.id],
      ["retry", a.id],
      ["active", b.id],
      ["completed", b.id],
    ]);
    // Nothing of this test stays active.
    expect(await rows(`SELECT id FROM jobs WHERE name LIKE ? AND state = 'active'`, [prefix + "%"])).toEqual([]);
  });

  it("fails an expired job whose retries are spent, keeping why", async () => {
    const name = testPrefix("expire-spent") + "system.sleep";
    const id = (await q.send(name, null, { expireIn: 0.2, retryLimit: 0 }))!;
    await q.fetch([name], 1, "ghost-worker");
    await new Promise((r) => setTimeout(r, 400));
    await waitFor("expiry", async () => (await q.expire(), (await q.getJob(id))!.state === "failed"), 5000);
    expect((await q.getJob(id))!.error).toBe("expired: no heartbeat from ghost-worker for 0.2 s");
  });
});
