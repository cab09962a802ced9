/** fetch: batch claims in priority/FIFO order, never the same job twice, startAfter and singletonKey. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { eventsOf, testPrefix } from "./testing.js";

afterAll(() => closeDb());

describe("fetch", { timeout: 30_000 }, () => {
  it("claims a batch, highest priority first then oldest first, and marks it active for the worker", async () => {
    const name = testPrefix("fetch") + "system.echo";
    const low = await q.send(name, { n: 1 });
    const high = await q.send(name, { n: 2 }, { priority: 5 });
    const low2 = await q.send(name, { n: 3 });
    const got = await q.fetch([name], 2, "w-a");
    expect(got.map((j) => j.id)).toEqual([high, low]);
    expect(got.every((j) => j.state === "active" && j.lockedBy === "w-a" && j.startedAt)).toBe(true);
    expect(got[0].data).toEqual({ n: 2 });
    const rest = await q.fetch([name], 5, "w-b");
    expect(rest.map((j) => j.id)).toEqual([low2]);
    expect(await q.fetch([name], 5, "w-c")).toEqual([]);
    expect((await eventsOf(high!)).map((e) => e.payload.state)).toEqual(["created", "active"]);
  });

  it("gives each job to exactly one of many concurrent claimers", async () => {
    const name = testPrefix("fetch-race") + "system.echo";
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => q.send(name, { i })));
    const claimed: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, w) => {
        for (;;) {
          const got = await q.fetch([name], 4, `w-${w}`);
          if (!got.length) return;
          claimed.push(...got.map((j) => j.id));
        }
      }),
    );
    expect(claimed.length).toBe(60);
    expect(new Set(claimed)).toEqual(new Set(ids));
  });

  it("does not hand out a job before its startAfter (seconds from now, or a Date)", async () => {
    const name = testPrefix("fetch-later") + "system.echo";
    const later = await q.send(name, null, { startAfter: 1.5 });
    const farDate = await q.send(name, null, { startAfter: new Date(Date.now() + 3600_000) });
    expect(await q.fetch([name], 5, "w-a")).toEqual([]);
    expect((await q.getJob(later!))!.state).toBe("created");
    await new Promise((r) => setTimeout(r, 1700));
    expect((await q.fetch([name], 5, "w-a")).map((j) => j.id)).toEqual([later]);
    expect((await q.getJob(farDate!))!.state).toBe("created");
  });

  it("keeps one live job per singletonKey: send returns null until the holder finishes", async () => {
    const name = testPrefix("fetch-single") + "system.echo";
    const first = await q.send(name, null, { singletonKey: "cell-7" });
    expect(first).toBeGreaterThan(0);
    expect(await q.send(name, null, { singletonKey: "cell-7" })).toBeNull();
    expect(await q.send(name, null, { singletonKey: "cell-8" })).toBeGreaterThan(0); // other key: fine
    expect(await q.send(testPrefix("other") + "system.echo", null, { singletonKey: "cell-7" })).toBeGreaterThan(0); // other name
    await q.fetch([name], 1, "w-a"); // active still holds the key
    expect(await q.send(name, null, { singletonKey: "cell-7" })).toBeNull();
    expect(await q.complete(first!, "w-a", null)).toBe(true);
    expect(await q.send(name, null, { singletonKey: "cell-7" })).toBeGreaterThan(first!);
    // Racing senders: exactly one wins.
    const racing = await Promise.all(Array.from({ length: 8 }, () => q.send(name, null, { singletonKey: "cell-9" })));
    expect(racing.filter((x) => x !== null).length).toBe(1);
  });
});
