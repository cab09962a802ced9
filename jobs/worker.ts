/**
 * Worker process entry: `npx tsx jobs/worker.ts` (scripts/start.sh runs it beside the web process;
 * run more of them, on any machine that reaches the database, for more throughput).
 * Settings from the environment (server/env.ts): WORKER_CONCURRENCY, WORKER_POLL_MS,
 * WORKER_HEARTBEAT_MS, WORKER_MAINTENANCE_MS, WORKER_GRACE_MS, WORKER_PURGE_AFTER_DAYS,
 * WORKER_ONLY_QUEUES, WORKER_NAME_PREFIX, WORKER_CLAIM_POLICY, WORKER_DEVICE.
 */
import { env } from "../server/env.js";
import { db, closeDb } from "../db/db.js";
import "./handlers/index.js";
import { Worker } from "./worker-runtime.js";
import { nativeInfo } from "../native/index.js";

const e = env();
db(); // one connection pool per worker process
// The device this worker announces (jobs/placement.ts): a GPU the addon can use, unless told.
const info = nativeInfo();
const device = e.WORKER_DEVICE === "auto" ? (info.cudaAvailable ? "cuda" : "cpu") : e.WORKER_DEVICE;
if (device === "cuda" && !info.cudaAvailable)
  console.warn(
    `[worker] WORKER_DEVICE=cuda but the addon sees no GPU (${info.cudaCompiled ? "CUDA build" : "CPU build"})`,
  );
const worker = new Worker({
  concurrency: e.WORKER_CONCURRENCY,
  pollMs: e.WORKER_POLL_MS,
  heartbeatMs: e.WORKER_HEARTBEAT_MS,
  maintenanceMs: e.WORKER_MAINTENANCE_MS,
  graceMs: e.WORKER_GRACE_MS,
  purgeAfterSeconds: e.WORKER_PURGE_AFTER_DAYS * 86_400,
  only: e.WORKER_ONLY_QUEUES.split(",")
    .map((s) => s.trim())
    .filter(Boolean),
  namePrefix: e.WORKER_NAME_PREFIX,
  claimPolicy: e.WORKER_CLAIM_POLICY,
  device,
  deviceName: device === "cuda" ? `CUDA × ${info.cudaDeviceCount}` : null,
});
worker.start();
console.log(
  `[worker ${worker.id}] ready: ${device}, concurrency ${e.WORKER_CONCURRENCY}, ${e.WORKER_CLAIM_POLICY} claiming, jobs ${worker.queueNames.join(", ")}`,
);

let stopping = false;
async function stop(signal: string) {
  if (stopping) {
    console.log(`[worker ${worker.id}] ${signal} again: exiting now`);
    process.exit(1);
  }
  stopping = true;
  console.log(
    `[worker ${worker.id}] ${signal}: no new jobs; ${worker.runningIds.length} running get ${e.WORKER_GRACE_MS} ms to finish`,
  );
  await worker.stop();
  await closeDb();
  console.log(`[worker ${worker.id}] stopped`);
  process.exit(0);
}
// A crash says why before the process goes (scripts/supervise.sh restarts it).
for (const what of ["uncaughtException", "unhandledRejection"] as const) {
  process.on(what, (e: unknown) => {
    console.error(
      `[worker ${worker.id}] crashed (${what}): ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`,
    );
    process.exit(1);
  });
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
