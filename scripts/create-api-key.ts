/**
 * Operator command: create an API key for an existing user from the shell.
 *   npm run create-api-key -- --email ada@example.com [--name gpu-server]
 * Prints the key once (it is stored hashed).
 */
import { parseArgs } from "node:util";
import { db, closeDb } from "../db/db.js";
import { User } from "../db/models/user.js";
import { createApiKey, normaliseEmail } from "../server/services/accounts.js";

const { values } = parseArgs({
  options: { email: { type: "string" }, name: { type: "string", default: "operator" } },
});

async function main(): Promise<number> {
  if (!values.email) {
    console.error("usage: npm run create-api-key -- --email <user email> [--name <key name>]");
    return 2;
  }
  db();
  const user = await User.query().findOne({ email: normaliseEmail(values.email) });
  if (!user) {
    console.error(`no user with email ${values.email}; register first (web UI or auth.register)`);
    return 1;
  }
  const { key, apiKey } = await createApiKey(user.id, values.name ?? "operator");
  console.log(`API key "${apiKey.name}" for ${user.email} (shown once, store it now):`);
  console.log(key);
  return 0;
}

main()
  .then(async (code) => {
    await closeDb();
    process.exit(code);
  })
  .catch(async (e) => {
    console.error(e instanceof Error ? e.message : e);
    await closeDb();
    process.exit(1);
  });
