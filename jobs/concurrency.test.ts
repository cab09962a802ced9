/** concurrency: 4 worker processes share 2000 jobs (500 per worker); every job runs exactly once. */
import { describe, it, expect, afterAll } from "vitest";
import * as q from "./queue.js";
import { closeDb } from "../db/db.js";
import { killWorkers, rows, spawnWorker, testPrefix, waitFor } from "./testing.js";

afterAll(async () => {
  await killWorkers();
  await closeDb();
});

const WORKERS = 4;
const JOBS = 500 * WORKERS;

describe("concurrency", { timeout: 120_000 }, () => {
  it(`${WORKERS} worker processes × 500 jobs: every job runs exactly once`, async () => {
    const prefix = testPrefix("conc");
    const name = prefix + "system.echo";
    const ids: number[] = [];
    for (let i = 0; i < JOBS; i += 50) {
      ids.push(
        ...((await Promise.all(
          Array.from({ length: 50 }, (_, k) => q.send(name, { record: true, i: i + k })),
        )) as number[]),
      );
    }
    const workers = await Promise.all(
      Array.from({ length: WORKERS }, () => spawnWorker(prefix, { WORKER_CONCURRENCY: "8" })),
    );

    await waitFor(
      "all jobs to complete",
      async () =>
        Number((await rows(`SELECT COUNT(*) AS n FROM jobs WHERE name = ? AND state = 'completed'`, [name]))[0].n) ===
        JOBS,
      50_000,
      250,
    );
    // Each handler run appends one metric naming its worker: one run per job, no job left out.
    const runs = await rows(
      `SELECT e.job_id, COUNT(*) AS n, MIN(JSON_VALUE(e.payload, '$.ranOn')) AS ran_on
       FROM job_events e JOIN jobs j ON j.id = e.job_id
       WHERE j.name = ? AND e.type = 'metric' GROUP BY e.job_id`,
      [name],
    );
    expect(runs.length).toBe(JOBS);
    expect(runs.filter((r) => Number(r.n) !== 1)).toEqual([]);
    expect(new Set(runs.map((r) => Number(r.jobId)))).toEqual(new Set(ids));
    // Claims too: exactly one `active` per job, and the job's output is its own data.
    const claims = await rows(
      `SELECT COUNT(*) AS n FROM job_events e JOIN jobs j ON j.id = e.job_id
       WHERE j.name = ? AND e.type = 'status' AND JSON_VALUE(e.payload, '$.state') = 'active'`,
      [name],
    );
    expect(Number(claims[0].n)).toBe(JOBS);
    const sample = await q.getJob(ids[1234]);
    expect(sample!.output).toEqual({ record: true, i: 1234 });
    // The work was shared.
    const perWorker = new Map<string, number>();
    for (const r of runs) perWorker.set(r.ranOn, (perWorker.get(r.ranOn) ?? 0) + 1);
    expect([...perWorker.keys()].sort()).toEqual(workers.map((w) => w.id).sort());
    expect(await rows(`SELECT id FROM jobs WHERE name = ? AND state <> 'completed'`, [name])).toEqual([]);
    await Promise.all(workers.map((w) => w.stop()));
  });
});
