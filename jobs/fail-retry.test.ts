/** fail/retry: a job that always throws is retried retryLimit times with growing delays, then FAILED with its error. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb, db } from "../db/db.js";
import { taskStatus } from "./states.js";
import { eventsOf, killWorkers, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

describe("fail and retry", { timeout: 45_000 }, () => {
  it("retries with jittered exponential backoff, then fails keeping the error", async () => {
    const prefix = testPrefix("retry");
    await spawnWorker(prefix);
    const id = (await q.send(
      prefix + "system.fail",
      { message: "cell file is corrupt" },
      { retryLimit: 3, retryDelay: 0.4 },
    ))!;
    const final = await waitFor("failure", async () => {
      const j = await q.getJob(id);
      return j?.state === "failed" ? j : null;
    });
    expect(taskStatus(final.state)).toBe("FAILED");
    expect(final.error).toBe("cell file is corrupt");
    expect(final.retryCount).toBe(3);
    expect(final.completedAt).toBeTruthy();

    const ev = await eventsOf(id);
    const states = ev.filter((e) => e.type === "status").map((e) => e.payload.state);
    expect(states).toEqual(["created", "active", "retry", "active", "retry", "active", "retry", "active", "failed"]);
    expect(ev.filter((e) => e.type === "log").map((e) => e.payload.message)).toEqual(
      [1, 2, 3, 4].map((n) => `failing on attempt ${n}`),
    );

    // Delay of retry n (scheduled start minus failure time): between half and all of 0.4·2^(n-1) s.
    const retries = ev.filter((e) => e.type === "status" && e.payload.state === "retry");
    const delays = retries.map((e) => new Date(e.payload.startAfter).getTime() - new Date(e.createdAt).getTime());
    delays.forEach((d, i) => {
      const full = 400 * 2 ** i;
      expect(d).toBeGreaterThanOrEqual(full / 2 - 5);
      expect(d).toBeLessThanOrEqual(full + 5);
    });
    expect(delays[1]).toBeGreaterThan(delays[0]);
    expect(delays[2]).toBeGreaterThan(delays[1]);
    // And no retry ran before its time.
    const actives = ev.filter((e) => e.type === "status" && e.payload.state === "active").slice(1);
    actives.forEach((a, i) =>
      expect(new Date(a.createdAt).getTime()).toBeGreaterThanOrEqual(new Date(retries[i].payload.startAfter).getTime()),
    );
  });

  it("caps the backoff at retryDelayMax, and retryBackoff:false keeps the delay flat", async () => {
    const name = testPrefix("retry-cap") + "system.fail";
    const capped = (await q.send(name, null, { retryLimit: 5, retryDelay: 10, retryDelayMax: 12 }))!;
    const flat = (await q.send(name, null, { retryLimit: 5, retryDelay: 7, retryBackoff: false }))!;
    for (let n = 0; n < 3; n++) {
      expect((await q.fetch([name], 2, "w")).length).toBe(2);
      await q.fail(capped, "w", "x");
      await q.fail(flat, "w", "x");
      const before = await Promise.all([q.getJob(capped), q.getJob(flat)]);
      const wait = (j: q.JobRow) => j.startAfter.getTime() - Date.now();
      expect(wait(before[0]!)).toBeLessThanOrEqual(12_000);
      expect(wait(before[0]!)).toBeGreaterThan(5_000 - 1500); // at least half of min(10·2^n, 12) s
      expect(wait(before[1]!)).toBeLessThanOrEqual(7_000 + 50);
      expect(wait(before[1]!)).toBeGreaterThan(7_000 - 1500);
      // Make them due again now (instead of waiting 7-12 s).
      await db().raw("UPDATE jobs SET start_after = NOW(3) WHERE id IN (?, ?)", [capped, flat]);
    }
  });
});
