/** Account settings (#23 item 9): display name, and deleting the account with everything it owns. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { TRPCError } from "@trpc/server";
import { closeDb, db } from "../../db/db.js";
import { artifacts } from "../storage/artifacts.js";
import { createTestUser, callerFor, type TestUser } from "../testing/users.js";
import { commitUpload } from "../services/energy/uploads.js";

const csv = [
  "time,kwh",
  ...Array.from({ length: 30 }, (_, i) => `2024-03-01 00:${String(i).padStart(2, "0")}:00,${i}`),
].join("\n");
const upload = (userId: number, name: string) =>
  commitUpload(userId, {
    fileName: "x.csv",
    contentBase64: Buffer.from(csv).toString("base64"),
    mapping: { timestampColumn: "time", targetColumn: "kwh", covariates: [] },
    options: { resampleSeconds: null, fill: "none", maxGapSteps: 0 },
    newAssetName: name,
  });

async function rowCounts(userId: number) {
  const out: Record<string, number> = {};
  for (const t of ["apiKeys", "sessions", "energyAssets", "energyUploads"]) {
    const [{ n }] = await db()(t).where({ userId }).count({ n: "*" });
    out[t] = Number(n);
  }
  return out;
}

let other: TestUser;
beforeAll(async () => {
  other = await createTestUser("acct-other");
  expect((await upload(other.id, "other-asset")).ok).toBe(true);
});
afterAll(() => closeDb());

describe("display name", () => {
  it("changes the name the user sees, trimmed; an empty name is refused naming the field", async () => {
    const u = await createTestUser("acct-name");
    const r = await u.caller.auth.updateProfile({ displayName: "  Dr. Li  " });
    expect(r.user.displayName).toBe("Dr. Li");
    // A fresh request (the test caller resolved its user once) reads the new name.
    const fresh = () => callerFor(undefined, `voltlab_session=${u.token}`);
    expect((await (await fresh()).auth.me()).user.displayName).toBe("Dr. Li");
    const err = (await u.caller.auth.updateProfile({ displayName: "  " }).catch((e: unknown) => e)) as TRPCError;
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toContain("Display name is required");
    expect((await (await fresh()).auth.me()).user.displayName).toBe("Dr. Li");
  });
});

describe("account deletion", () => {
  it("refuses a wrong typed email or password and deletes nothing", async () => {
    const u = await createTestUser("acct-keep");
    const wrongEmail = (await u.caller.auth
      .deleteAccount({ confirmEmail: other.email, password: u.password })
      .catch((e: unknown) => e)) as TRPCError;
    expect(wrongEmail.message).toMatch(/not this account's email; nothing was deleted/);
    const wrongPw = (await u.caller.auth
      .deleteAccount({ confirmEmail: u.email, password: "not the password" })
      .catch((e: unknown) => e)) as TRPCError;
    expect(wrongPw.message).toMatch(/password is wrong; nothing was deleted/);
    expect((await u.caller.auth.me()).user.id).toBe(u.id);
    expect((await rowCounts(u.id)).apiKeys).toBe(1);
  });

  it("removes the user's rows and every stored file, ends sessions and keys; another user's data is untouched", async () => {
    const u = await createTestUser("acct-delete");
    expect((await upload(u.id, "doomed-asset")).ok).toBe(true);
    const before = await rowCounts(u.id);
    expect(before.energyAssets).toBe(1);
    expect(before.energyUploads).toBe(1);
    expect((await artifacts().list(String(u.id))).length).toBeGreaterThan(0);
    const otherBefore = { rows: await rowCounts(other.id), files: await artifacts().list(String(other.id)) };
    expect(otherBefore.files.length).toBeGreaterThan(0);

    // The typed email is compared case-insensitively, as sign-in does.
    expect(
      await u.caller.auth.deleteAccount({ confirmEmail: ` ${u.email.toUpperCase()} `, password: u.password }),
    ).toEqual({ deleted: true });

    expect(await db()("users").where({ id: u.id }).first()).toBeUndefined();
    expect(await rowCounts(u.id)).toEqual({ apiKeys: 0, sessions: 0, energyAssets: 0, energyUploads: 0 });
    expect(await artifacts().list(String(u.id))).toEqual([]);
    // The old session and API key no longer sign anyone in.
    for (const c of [await callerFor(undefined, `voltlab_session=${u.token}`), await callerFor(`Bearer ${u.apiKey}`)]) {
      expect(((await c.auth.me().catch((e: unknown) => e)) as TRPCError).code).toBe("UNAUTHORIZED");
    }
    // The other user's rows and files are all there.
    expect(await rowCounts(other.id)).toEqual(otherBefore.rows);
    expect(await artifacts().list(String(other.id))).toEqual(otherBefore.files);
    expect((await other.caller.auth.me()).user.id).toBe(other.id);
  });
});
