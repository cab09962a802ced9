/**
 * Operator command: create a user and an API key for it from the shell (the first account of a
 * new installation, or an account for a script). The password is read from standard input, never
 * from the command line (which other users of the machine can see in the process list):
 *   printf '%s' "$PASSWORD" | npm run create-user -- --email ada@example.com [--name "Ada"] [--key-name operator]
 *   npm run create-user -- --email ada@example.com          # on a terminal: asks, without echo
 * Prints the API key once (it is stored hashed). Exit codes: 0 created, 1 refused (the email
 * exists, database error), 2 bad input. Nothing is left behind when it fails.
 */
import { parseArgs } from "node:util";
import readline from "node:readline";
import { Writable } from "node:stream";
import { db, closeDb } from "../db/db.js";
import { User } from "../db/models/user.js";
import { createApiKey, normaliseEmail, register } from "../server/services/accounts.js";
import { apiKeyCreateInput, registerInput } from "../server/schemas/auth.js";
import { english } from "../server/i18n/translate.js";

const USAGE =
  "usage: printf '%s' \"$PASSWORD\" | npm run create-user -- --email <email> [--name <display name>] [--key-name <API key name>]";

/** The password: the whole of a piped standard input without its final line break, or a prompt without echo on a terminal. */
async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) {
    let muted = false;
    const output = new Writable({ write: (chunk, _enc, cb) => (muted || process.stdout.write(chunk), cb()) });
    const rl = readline.createInterface({ input: process.stdin, output, terminal: true });
    const answer = new Promise<string>((resolve) => rl.question("Password (not shown): ", resolve));
    muted = true;
    const pw = await answer;
    rl.close();
    process.stdout.write("\n");
    return pw;
  }
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString("utf8")
    .replace(/\r?\n$/, "");
}

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        email: { type: "string" },
        name: { type: "string" },
        "key-name": { type: "string", default: "operator" },
      },
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    return 2;
  }
  if (!values.email) {
    console.error(USAGE);
    return 2;
  }
  const password = await readPassword();
  if (!password) {
    console.error(`no password on standard input\n${USAGE}`);
    return 2;
  }
  const email = values.email;
  const input = registerInput.safeParse({ email, password, displayName: values.name ?? email.split("@")[0] });
  const keyName = apiKeyCreateInput.safeParse({ name: values["key-name"] });
  const issues = [
    ...(input.success ? [] : input.error.issues),
    ...(keyName.success ? [] : keyName.error.issues.map((i) => ({ ...i, path: ["key-name"] }))),
  ];
  if (!input.success || !keyName.success) {
    for (const i of issues)
      console.error(`${i.path.join(".") === "displayName" ? "name" : i.path.join(".")}: ${english(i.message)}`);
    return 2;
  }

  db();
  if (await User.query().findOne({ email: normaliseEmail(input.data.email) })) {
    console.error(
      `an account with email ${normaliseEmail(input.data.email)} already exists (use npm run create-api-key for a key)`,
    );
    return 1;
  }
  const user = await register(input.data);
  try {
    const { key, apiKey } = await createApiKey(user.id, keyName.data.name);
    console.log(`user #${user.id} ${user.email} created; API key "${apiKey.name}" (shown once, store it now):`);
    console.log(key);
    return 0;
  } catch (e) {
    await User.query().deleteById(user.id); // no account without the key the operator asked for
    throw e;
  }
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
