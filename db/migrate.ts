/** Migration CLI: `tsx db/migrate.ts latest | rollback | status`. */
import { db, closeDb } from "./db.js";

const cmd = process.argv[2] ?? "latest";
const k = db();
try {
  if (cmd === "latest") {
    const [batch, files] = await k.migrate.latest();
    console.log(files.length ? `migrated (batch ${batch}): ${files.join(", ")}` : "database is up to date");
  } else if (cmd === "rollback") {
    const [batch, files] = await k.migrate.rollback(undefined, process.argv[3] === "--all");
    console.log(`rolled back batch ${batch}: ${files.join(", ") || "nothing"}`);
  } else if (cmd === "status") {
    const [done, pending] = await k.migrate.list();
    console.log({
      done: done.map((f: { name: string }) => f.name),
      pending: pending.map((f: { file: string }) => f.file),
    });
  } else {
    throw new Error(`unknown command "${cmd}" (latest | rollback [--all] | status)`);
  }
} finally {
  await closeDb();
}
