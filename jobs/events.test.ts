/**
 * events: a subscriber over a real WebSocket (API key in connectionParams) that disconnects and
 * comes back with lastEventId receives every event exactly once, in order, for a job and for a group.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import crypto from "node:crypto";
import WebSocket from "ws";
import superjson from "superjson";
import { createTRPCClient, createWSClient, wsLink } from "@trpc/client";
import type { AppRouter } from "../server/routers/root.js";
import type { JobStreamEvent } from "../server/services/jobs.js";
import { startTestServer } from "../server/testing/server.js";
import { createTestUser, type TestUser } from "../server/testing/users.js";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { killWorkers, rows, spawnWorker, testPrefix } from "./testing.js";

type Input = { jobId?: number; groupId?: string; lastEventId?: string | null };
type Got = { id: string; data: JobStreamEvent };

let server: Awaited<ReturnType<typeof startTestServer>>;
let user: TestUser;
let prefix: string;

beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  user = await createTestUser("events");
  prefix = testPrefix("events");
  await spawnWorker(prefix, { WORKER_CONCURRENCY: "4" });
});
afterAll(async () => {
  await killWorkers();
  await server?.close();
  await closeDb();
});

/** Subscribes over a fresh WebSocket; resolves when `stopAfter` events came (then disconnects) or the stream ended. */
function follow(input: Input, stopAfter = Infinity): Promise<{ got: Got[]; ended: boolean }> {
  const ws = createWSClient({
    url: server.url.replace("http", "ws") + "/api/trpc",
    WebSocket: WebSocket as unknown as typeof globalThis.WebSocket,
    connectionParams: { token: user.apiKey },
  });
  const client = createTRPCClient<AppRouter>({ links: [wsLink({ client: ws, transformer: superjson })] });
  const got: Got[] = [];
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (ended: boolean) => {
      if (done) return; // unsubscribe() itself calls onComplete
      done = true;
      sub.unsubscribe();
      void ws.close();
      resolve({ got, ended });
    };
    const sub = client.jobs.events.subscribe(input, {
      onData(d) {
        got.push(d as Got);
        if (got.length === stopAfter) finish(false);
      },
      onComplete: () => finish(true),
      onError: (e) => (void ws.close(), reject(e)),
    });
  });
}

describe("events over WebSocket", { timeout: 45_000 }, () => {
  it("a job's stream resumed with lastEventId misses nothing and repeats nothing", async () => {
    const id = (await q.send(prefix + "system.sleep", { ms: 2000, steps: 20 }, { userId: user.id }))!;
    const first = await follow({ jobId: id }, 5);
    expect(first.ended).toBe(false);
    await new Promise((r) => setTimeout(r, 600)); // events keep landing while we are away
    const second = await follow({ jobId: id, lastEventId: first.got.at(-1)!.id });
    expect(second.ended).toBe(true);

    const all = [...first.got, ...second.got];
    const stored = await rows(`SELECT id, seq FROM job_events WHERE job_id = ? ORDER BY id`, [id]);
    expect(all.map((g) => g.data.id)).toEqual(stored.map((r) => Number(r.id)));
    expect(all.map((g) => g.data.seq)).toEqual(stored.map((_, i) => i + 1));
    expect(all.map((g) => g.id)).toEqual(all.map((g) => String(g.data.id))); // the cursor is the event id
    expect(second.got.length).toBeGreaterThan(5);
    const statuses = all.filter((g) => g.data.type === "status").map((g) => g.data.status);
    expect(statuses).toEqual(["PENDING", "RUNNING", "SUCCEEDED"]);
    expect(all.filter((g) => g.data.type === "progress").at(-1)!.data.payload).toEqual({ done: 20, total: 20 });
  });

  it("a group's stream (3 jobs running at once) resumed with lastEventId gets each job's events once, in order", async () => {
    const groupId = `task-${crypto.randomBytes(6).toString("hex")}`;
    const ids = await Promise.all(
      [0, 1, 2].map((i) =>
        q.send(prefix + "system.sleep", { ms: 1500 + 200 * i, steps: 12 }, { userId: user.id, groupId }),
      ),
    );
    const first = await follow({ groupId }, 12);
    expect(first.ended).toBe(false);
    await new Promise((r) => setTimeout(r, 500));
    const second = await follow({ groupId, lastEventId: first.got.at(-1)!.id });
    expect(second.ended).toBe(true);

    const all = [...first.got, ...second.got].map((g) => g.data);
    for (const id of ids) {
      const stored = await rows(`SELECT seq FROM job_events WHERE job_id = ? ORDER BY seq`, [id]);
      expect(all.filter((e) => e.jobId === id).map((e) => e.seq)).toEqual(stored.map((r) => Number(r.seq)));
    }
    expect(all.length).toBe(new Set(all.map((e) => e.id)).size);
    expect(
      all
        .filter((e) => e.status === "SUCCEEDED")
        .map((e) => e.jobId)
        .sort(),
    ).toEqual([...ids].sort());
  });
});
