/** Web process entry: Remix + tRPC (HTTP and WebSocket) on one port. */
import { env } from "./env.js";
import { createServer } from "./app.js";
import { db, closeDb } from "../db/db.js";
import { startMaintenance } from "./maintenance.js";

const e = env();
db();
const { listen } = await createServer();
const started = await listen(e.PORT, e.HOST);
const stopMaintenance = startMaintenance(e.WORKER_MAINTENANCE_MS);
console.log(`[web] listening on http://${e.HOST === "0.0.0.0" ? "localhost" : e.HOST}:${started.port}`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`[web] ${signal}: closing`);
  stopMaintenance();
  await started.close();
  await closeDb();
  process.exit(0);
}
process.on("SIGINT", () => void stop("SIGINT"));
process.on("SIGTERM", () => void stop("SIGTERM"));
