import { describe, it, expect, afterAll } from "vitest";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { createTestUser, callerFor } from "../server/testing/users.js";
import { closeDb } from "../db/db.js";

const run = promisify(execFile);
afterAll(() => closeDb());

describe("operator command create-api-key", () => {
  it("prints a working key for an existing user and fails clearly for an unknown one", async () => {
    const u = await createTestUser("operator");
    const { stdout } = await run("npx", ["tsx", "scripts/create-api-key.ts", "--email", u.email, "--name", "ops"], {
      env: process.env,
    });
    const key = stdout.trim().split("\n").pop()!;
    expect(key).toMatch(/^vl_/);
    const me = await (await callerFor(`Bearer ${key}`)).auth.me();
    expect(me.user.id).toBe(u.id);

    const err = await run("npx", ["tsx", "scripts/create-api-key.ts", "--email", "nobody@nowhere.test"], {
      env: process.env,
    }).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain("no user with email nobody@nowhere.test");
  });
});
