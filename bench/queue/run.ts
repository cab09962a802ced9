/**
 * Queue benchmark: `npx tsx bench/queue/run.ts` (needs DATABASE_URL, e.g. eval "$(bash scripts/dev-db.sh)").
 * With 1 and with 4 worker processes (real `jobs/worker.ts` processes):
 * - throughput: JOBS no-op jobs (system.echo) become due at one instant; jobs/s from that
 *   instant to the last completion (claim + run + complete + status events), in database time;
 * - send-to-start latency: jobs sent one by one at a steady rate to idle workers;
 *   started_at − created_at (database time), p50 and p95.
 * Writes bench/results/queue.json and bench/results/queue.md.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as q from "../../jobs/queue.js";
import { closeDb, db } from "../../db/db.js";
import { killWorkers, rows, spawnWorker, testPrefix, waitFor } from "../../jobs/testing.js";

const JOBS = Number(process.env.BENCH_JOBS ?? 2000);
const LATENCY_JOBS = Number(process.env.BENCH_LATENCY_JOBS ?? 200);
const LATENCY_RATE = 20; // jobs per second
const WORKER_ENV = {
  WORKER_CONCURRENCY: "8",
  WORKER_POLL_MS: "100",
  WORKER_HEARTBEAT_MS: "5000",
  WORKER_MAINTENANCE_MS: "10000",
};

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

async function runConfig(workers: number) {
  const prefix = testPrefix(`bench${workers}`);
  const name = prefix + "system.echo";
  const procs = await Promise.all(Array.from({ length: workers }, () => spawnWorker(prefix, WORKER_ENV)));

  // Throughput: enqueue far in the future, then make them all due at one database instant.
  for (let i = 0; i < JOBS; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, JOBS - i) }, (_, k) => q.send(name, { i: i + k }, { startAfter: 3600 })),
    );
  }
  const [{ t0 }] = await rows(`SELECT NOW(3) AS t0`);
  await db().raw(`UPDATE jobs SET start_after = ? WHERE name = ? AND state = 'created'`, [t0, name]);
  await waitFor(
    "throughput jobs",
    async () =>
      Number((await rows(`SELECT COUNT(*) AS n FROM jobs WHERE name = ? AND state = 'completed'`, [name]))[0].n) ===
      JOBS,
    300_000,
    200,
  );
  const [span] = await rows(
    `SELECT TIMESTAMPDIFF(MICROSECOND, ?, MAX(completed_at)) / 1e6 AS seconds FROM jobs WHERE name = ?`,
    [t0, name],
  );
  const seconds = Number(span.seconds);

  // Latency: one job at a time at a steady rate, to idle workers.
  const lname = prefix + "system.echo";
  const lat: number[] = [];
  const ids: number[] = [];
  for (let i = 0; i < LATENCY_JOBS; i++) {
    ids.push((await q.send(lname, { latency: i }))!);
    await new Promise((r) => setTimeout(r, 1000 / LATENCY_RATE));
  }
  await waitFor(
    "latency jobs",
    async () =>
      Number((await rows(`SELECT COUNT(*) AS n FROM jobs WHERE id IN (?) AND state = 'completed'`, [ids]))[0].n) ===
      ids.length,
    60_000,
    200,
  );
  for (const r of await rows(
    `SELECT TIMESTAMPDIFF(MICROSECOND, created_at, started_at) / 1000 AS ms FROM jobs WHERE id IN (?)`,
    [ids],
  )) {
    lat.push(Number(r.ms));
  }
  await Promise.all(procs.map((p) => p.stop()));
  await db().raw(`DELETE FROM jobs WHERE name = ?`, [name]);
  return {
    workers,
    concurrencyPerWorker: Number(WORKER_ENV.WORKER_CONCURRENCY),
    pollMs: Number(WORKER_ENV.WORKER_POLL_MS),
    jobs: JOBS,
    seconds: Number(seconds.toFixed(3)),
    jobsPerSecond: Math.round(JOBS / seconds),
    latency: {
      jobs: LATENCY_JOBS,
      ratePerSecond: LATENCY_RATE,
      p50Ms: Number(pct(lat, 50).toFixed(1)),
      p95Ms: Number(pct(lat, 95).toFixed(1)),
      maxMs: Number(Math.max(...lat).toFixed(1)),
    },
  };
}

try {
  const [{ version }] = await rows(`SELECT VERSION() AS version`);
  const configs = [];
  for (const n of [1, 4]) {
    console.log(`[bench] ${n} worker(s)…`);
    configs.push(await runConfig(n));
    console.log(JSON.stringify(configs.at(-1)));
  }
  const result = {
    date: new Date().toISOString(),
    machine: {
      cpu: os.cpus()[0]?.model ?? "unknown",
      cores: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
      node: process.version,
      database: version,
    },
    notes:
      "Database and workers on the same machine. Handler is a no-op (system.echo). Times are database times (NOW(3)).",
    configs,
  };
  const dir = path.resolve("bench/results");
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, "queue.json"), JSON.stringify(result, null, 2) + "\n");
  const [a, b] = configs;
  const md = `# Queue benchmark

${result.date} — ${result.machine.cpu}, ${result.machine.cores} cores, ${result.machine.memoryGiB} GiB, Node ${result.machine.node}, ${result.machine.database}.
${result.notes} Run: \`npx tsx bench/queue/run.ts\`.

| | 1 worker | 4 workers |
| --- | ---: | ---: |
| concurrency per worker / poll interval | ${a.concurrencyPerWorker} / ${a.pollMs} ms | ${b.concurrencyPerWorker} / ${b.pollMs} ms |
| throughput (${JOBS} jobs due at once) | ${a.jobsPerSecond} jobs/s (${a.seconds} s) | ${b.jobsPerSecond} jobs/s (${b.seconds} s) |
| send-to-start latency p50 | ${a.latency.p50Ms} ms | ${b.latency.p50Ms} ms |
| send-to-start latency p95 | ${a.latency.p95Ms} ms | ${b.latency.p95Ms} ms |
| latency max (${LATENCY_JOBS} jobs at ${LATENCY_RATE}/s) | ${a.latency.maxMs} ms | ${b.latency.maxMs} ms |

Throughput counts a claim (SELECT … FOR UPDATE SKIP LOCKED + UPDATE + status events), the
handler and the completion per job. Latency of idle workers is bounded by the poll interval
(a worker claims at most one poll interval after a job becomes due; several workers poll out of phase).
With no-op handlers the queue is CPU-bound: when the machine has few cores, extra worker processes
compete with each other and with the database for them, so 4 workers can be slower than 1 here.
More workers pay off when handlers do real work (training) or run on other machines.
`;
  fs.writeFileSync(path.join(dir, "queue.md"), md);
  console.log(md);
} finally {
  await killWorkers();
  await closeDb();
}
