/**
 * Fairness benchmark: `npx tsx bench/fairness/run.ts` (needs DATABASE_URL, e.g. eval "$(bash scripts/dev-db.sh)").
 *
 * The scenario of issue #20: user A queues 50 jobs, then user B queues one. For each claim
 * policy (WORKER_CLAIM_POLICY fifo = the claiming before #20, fair = the product default) and
 * for 1 and 2 worker slots, a real worker process (jobs/worker.ts) runs the jobs; we record B's
 * start delay (started_at − created_at, database time), how many of A's jobs started between
 * B's enqueue and B's start, and how long A's 50 jobs took in all (fairness should cost A
 * nothing). Both policies run in the same invocation, one after the other, on the same machine.
 *
 * Settings: 50 jobs for A as in the finding 6; each job is system.sleep for JOB_MS (100 ms,
 * long enough that claiming overhead is small, short enough for a quick run); B's job is enqueued
 * once A's first job has started (A's queue is full, as in the finding). No data set is involved
 * (the jobs sleep), so there is no development/test split. Writes bench/results/fairness.{md,json}.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as q from "../../jobs/queue.js";
import { closeDb, db } from "../../db/db.js";
import { killWorkers, rows, spawnWorker, testPrefix, waitFor } from "../../jobs/testing.js";
import { createTestUser } from "../../server/testing/users.js";
import { loadNote } from "../machine-note.js";

const A_JOBS = 50;
const JOB_MS = Number(process.env.BENCH_JOB_MS ?? 100);
const POLICIES = ["fifo", "fair"] as const;
const SLOTS = [1, 2];

async function runOnce(policy: (typeof POLICIES)[number], slots: number) {
  const [a, b] = [await createTestUser("bench-fair-a"), await createTestUser("bench-fair-b")];
  const prefix = testPrefix(`fairbench-${policy}${slots}`);
  const name = prefix + "system.sleep";
  const worker = await spawnWorker(prefix, {
    WORKER_CONCURRENCY: String(slots),
    WORKER_CLAIM_POLICY: policy,
    WORKER_POLL_MS: "100",
  });
  const aIds = (await Promise.all(
    Array.from({ length: A_JOBS }, () => q.send(name, { ms: JOB_MS, steps: 1 }, { userId: a.id })),
  )) as number[];
  await waitFor("A's first job to start", async () => (await q.getJob(aIds[0]!))?.startedAt, 30_000, 20);
  const bId = (await q.send(name, { ms: JOB_MS, steps: 1 }, { userId: b.id }))!;
  await waitFor(
    "all jobs to finish",
    async () =>
      Number((await rows(`SELECT COUNT(*) AS n FROM jobs WHERE name = ? AND state = 'completed'`, [name]))[0]!.n) ===
      A_JOBS + 1,
    120_000,
    50,
  );
  const [bRow] = await rows(
    `SELECT created_at, started_at, TIMESTAMPDIFF(MICROSECOND, created_at, started_at) / 1000 AS delay_ms FROM jobs WHERE id = ?`,
    [bId],
  );
  const [{ n: overtaken }] = await rows(
    `SELECT COUNT(*) AS n FROM jobs WHERE name = ? AND user_id = ? AND started_at >= ? AND started_at < ?`,
    [name, a.id, bRow!.createdAt, bRow!.startedAt],
  );
  const [{ s: aSpan }] = await rows(
    `SELECT TIMESTAMPDIFF(MICROSECOND, MIN(created_at), MAX(completed_at)) / 1e6 AS s FROM jobs WHERE name = ? AND user_id = ?`,
    [name, a.id],
  );
  await worker.stop();
  await db().raw(`DELETE FROM jobs WHERE name = ?`, [name]);
  return {
    policy,
    slots,
    bStartDelayMs: Math.round(Number(bRow!.delayMs)),
    aJobsStartedWhileBWaited: Number(overtaken),
    aAllDoneSeconds: Number(Number(aSpan).toFixed(2)),
  };
}

try {
  const [{ version }] = await rows(`SELECT VERSION() AS version`);
  const results: Awaited<ReturnType<typeof runOnce>>[] = [];
  for (const slots of SLOTS) {
    for (const policy of POLICIES) {
      console.log(`[bench] ${policy}, ${slots} slot(s)…`);
      results.push(await runOnce(policy, slots));
    }
  }
  const date = new Date().toISOString();
  const machine = `${os.cpus()[0]?.model.split(" ").slice(0, 2).join(" ")}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${version}`;
  const load = loadNote();
  const out = { date, machine, load, aJobs: A_JOBS, jobMs: JOB_MS, results };
  fs.mkdirSync("bench/results", { recursive: true });
  fs.writeFileSync(path.join("bench/results", "fairness.json"), JSON.stringify(out, null, 2) + "\n");
  const row = (p: string, s: number) => results.find((r) => r.policy === p && r.slots === s)!;
  const md = [
    "# Fairness benchmark",
    "",
    `${date} — ${machine}. Load: ${load}.`,
    `Run: \`npx tsx bench/fairness/run.ts\`. One real worker process (jobs/worker.ts), database on the same machine.`,
    "",
    `User A queues ${A_JOBS} jobs (system.sleep, ${JOB_MS} ms each); once A's first job runs, user B queues one. Both claim policies run in this same invocation:`,
    "`fifo` is the claiming before issue #20 (priority, then age, across everyone); `fair` is the product default (WORKER_CLAIM_POLICY, users take turns).",
    "",
    "| worker slots | policy | B's start delay | A's jobs started while B waited | A's 50 jobs done after |",
    "| ---: | --- | ---: | ---: | ---: |",
    ...SLOTS.flatMap((s) =>
      POLICIES.map((p) => {
        const r = row(p, s);
        return `| ${s} | ${p}${p === "fair" ? " (default)" : ""} | ${r.bStartDelayMs} ms | ${r.aJobsStartedWhileBWaited} | ${r.aAllDoneSeconds} s |`;
      }),
    ),
    "",
    "Settings: 50 jobs as in finding 6 of the issue; 100 ms jobs keep the run short while claiming overhead stays small beside them.",
    "No data set is involved (the jobs sleep), so there is no development/test split. Delays are database times (NOW(3)).",
    "With fair claiming B waits only for the job(s) already running (at most one job per slot); with FIFO it waits for all of A's queue.",
    "",
  ].join("\n");
  fs.writeFileSync(path.join("bench/results", "fairness.md"), md);
  console.log(md);
} finally {
  await killWorkers();
  await closeDb();
}
