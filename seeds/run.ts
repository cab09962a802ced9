/**
 * Runs every seed in order. Each seed is idempotent (safe to run on every start).
 * Seeds are registered in seeds/index.ts.
 */
import { db, closeDb } from "../db/db.js";
import { SEEDS } from "./index.js";

const k = db();
try {
  for (const seed of SEEDS) {
    const t0 = Date.now();
    const summary = await seed.run(k);
    console.log(`[seed] ${seed.name}: ${summary} (${Date.now() - t0} ms)`);
  }
} finally {
  await closeDb();
}
