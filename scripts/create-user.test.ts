import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import crypto from "node:crypto";
import { callerFor } from "../server/testing/users.js";
import { login } from "../server/services/accounts.js";
import { User } from "../db/models/user.js";
import { closeDb, db } from "../db/db.js";

db();
afterAll(() => closeDb());

/** `tsx scripts/create-user.ts ARGS` with `stdin` piped in. */
function run(args: string[], stdin: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const proc = spawn(process.execPath, ["--import", "tsx", "scripts/create-user.ts", ...args], {
    env: process.env,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "",
    stderr = "";
  proc.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
  proc.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
  proc.stdin.end(stdin);
  return new Promise((resolve) => proc.on("exit", (code) => resolve({ code, stdout, stderr })));
}

const freshEmail = () => `first-user-${crypto.randomBytes(5).toString("hex")}@example.test`;

describe("operator command create-user", () => {
  it("creates a user whose password (from standard input) signs in and whose printed API key works", async () => {
    const email = freshEmail();
    const password = "correct horse battery";
    const r = await run(["--email", email, "--name", "Ada Operator", "--key-name", "gpu-server"], `${password}\n`);
    expect(r.code, r.stderr).toBe(0);
    const key = r.stdout.trim().split("\n").pop()!;
    expect(key).toMatch(/^vl_/);
    const me = await (await callerFor(`Bearer ${key}`)).auth.me();
    expect(me.user.email).toBe(email);
    expect(me.user.displayName).toBe("Ada Operator");
    // The password is the piped line without its line break.
    expect((await login({ email, password }, "203.0.113.77")).email).toBe(email);
    await expect(login({ email, password: `${password}\n` }, "203.0.113.77")).rejects.toThrow();

    const again = await run(["--email", email.toUpperCase()], "another long password\n");
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`an account with email ${email} already exists`);
  });

  it("refuses a short or missing password and a bad email, naming the problem, and creates nothing", async () => {
    const email = freshEmail();
    const short = await run(["--email", email], "short\n");
    expect(short.code).toBe(2);
    expect(short.stderr).toContain("password: Password must be at least 10 characters");
    const none = await run(["--email", email], "");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no password on standard input");
    const bad = await run(["--email", "not-an-email"], "a long enough password\n");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("email: Enter a valid email address");
    const missing = await run([], "a long enough password\n");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("usage:");
    expect(await User.query().findOne({ email })).toBeUndefined();
  });
});
