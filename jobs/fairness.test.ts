/** Fair claiming (issue #20): one user's 50 queued jobs do not hold up another user's single job. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { createTestUser } from "../server/testing/users.js";
import { killWorkers, rows, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

describe("fair claiming across users", { timeout: 45_000 }, () => {
  it("user A queues 50 jobs, then user B one: B's job is the next to start on a single-slot worker", async () => {
    const [a, b] = [await createTestUser("fair-a"), await createTestUser("fair-b")];
    const prefix = testPrefix("fair");
    const name = prefix + "system.sleep";
    const worker = await spawnWorker(prefix, { WORKER_CONCURRENCY: "1" });
    const aIds = (await Promise.all(
      Array.from({ length: 50 }, () => q.send(name, { ms: 200, steps: 1 }, { userId: a.id })),
    )) as number[];
    await waitFor("A's first job to start", async () => (await q.getJob(aIds[0]!))?.startedAt);
    const bId = (await q.send(name, { ms: 50, steps: 1 }, { userId: b.id }))!;
    const bJob = await waitFor(
      "B's job to start",
      async () => (await q.getJob(bId))?.startedAt && q.getJob(bId),
      30_000,
      50,
    );
    // No job of A's started between B's enqueue and B's start: B waited only for what was running.
    const overtaken = await rows(
      `SELECT id FROM jobs WHERE user_id = ? AND name = ? AND started_at >= ? AND started_at < ?`,
      [a.id, name, bJob!.createdAt, bJob!.startedAt],
    );
    expect(overtaken).toEqual([]);
    const startedBefore = Number(
      (
        await rows(`SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND name = ? AND started_at < ?`, [
          a.id,
          name,
          bJob!.startedAt,
        ])
      )[0]!.n,
    );
    expect(startedBefore).toBeLessThan(50);
    // A's jobs go on afterwards, in their own order.
    await waitFor(
      "A's next job after B",
      async () =>
        Number(
          (
            await rows(`SELECT COUNT(*) AS n FROM jobs WHERE user_id = ? AND name = ? AND started_at IS NOT NULL`, [
              a.id,
              name,
            ])
          )[0]!.n,
        ) > startedBefore,
    );
    await Promise.all(aIds.map((id) => q.cancel(id)));
    await worker.stop();
  });

  it("allocates the slots of one claim in turns: fewest running first, then least recently started", () => {
    const user = (userId: number, waiting: number, active: number, lastStart: number) => ({
      userId,
      priority: 0,
      waiting,
      firstId: userId,
      active,
      lastStart,
      take: 0,
    });
    const turns = q.allocateTurns([user(1, 50, 1, 100), user(2, 1, 0, 0), user(3, 3, 0, 50)], 4, 1000);
    expect(Object.fromEntries(turns.map((t) => [t.userId, t.take]))).toEqual({ 1: 1, 2: 1, 3: 2 });
    // A higher priority still goes first.
    const urgent = q.allocateTurns([user(1, 5, 3, 100), { ...user(2, 1, 0, 0), priority: -1 }], 1, 1000);
    expect(urgent.map((t) => t.userId)).toEqual([1]);
  });
});
