import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { SignJWT } from "jose";
import { TRPCError } from "@trpc/server";
import { anonymousCaller, callerFor, createTestUser, uniqueEmail, type TestUser } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { signSession } from "../auth/token.js";
import { closeDb } from "../../db/db.js";
import { User } from "../../db/models/user.js";

async function codeOf(p: Promise<unknown>): Promise<string | null> {
  return p.then(
    () => null,
    (e: unknown) => (e instanceof TRPCError ? e.code : `non-trpc: ${String(e)}`),
  );
}

let alice: TestUser;
beforeAll(async () => {
  alice = await createTestUser("alice");
});
afterAll(() => closeDb());

describe("register", () => {
  it("creates an account with an argon2id hash and starts a session", async () => {
    const anon = await anonymousCaller();
    const email = uniqueEmail("reg");
    const r = await anon.auth.register({
      email: email.toUpperCase(),
      password: "long enough pw",
      displayName: "  Reg  ",
    });
    expect(r.user.email).toBe(email); // normalised to lower case
    expect(r.user.displayName).toBe("Reg");
    expect(r).not.toHaveProperty("token"); // the session goes in the httpOnly cookie only
    const row = await User.query().findOne({ email });
    expect(row?.passwordHash.startsWith("$argon2id$")).toBe(true);
    expect(row?.passwordHash).not.toContain("long enough pw");
  });

  it("refuses a duplicate email with CONFLICT naming the email field", async () => {
    const anon = await anonymousCaller();
    const err = await anon.auth
      .register({ email: alice.email, password: "another password", displayName: "x" })
      .catch((e: TRPCError) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).code).toBe("CONFLICT");
    expect((err as TRPCError).message).toMatch(/already exists/);
  });

  it("refuses malformed input with BAD_REQUEST naming each field", async () => {
    const anon = await anonymousCaller();
    const err = (await anon.auth
      .register({ email: "not-an-email", password: "short", displayName: "" })
      .catch((e: TRPCError) => e)) as TRPCError;
    expect(err.code).toBe("BAD_REQUEST");
    expect(err.message).toContain("email: Enter a valid email address");
    expect(err.message).toContain("password: Password must be at least 10 characters");
    expect(err.message).toContain("displayName: Display name is required");
    // Wrong types are refused the same way, never a 500.
    const err2 = (await anon.auth
      .register({ email: 42, password: null, displayName: [] } as never)
      .catch((e: TRPCError) => e)) as TRPCError;
    expect(err2.code).toBe("BAD_REQUEST");
  });
});

describe("login", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    const anon = await anonymousCaller("10.0.0.1");
    const ok = await anon.auth.login({ email: alice.email, password: alice.password });
    expect(ok.user.id).toBe(alice.id);
    expect(await codeOf(anon.auth.login({ email: alice.email, password: "wrong password" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(anon.auth.login({ email: uniqueEmail("nobody"), password: "whatever123" }))).toBe(
      "UNAUTHORIZED",
    );
  });
  // Throttling: server/auth/login-throttle.test.ts
});

describe("sessions", () => {
  it("me works with the cookie and with the same token as a Bearer header", async () => {
    expect((await alice.caller.auth.me()).user.email).toBe(alice.email);
    const bearer = await callerFor(`Bearer ${alice.token}`);
    const me = await bearer.auth.me();
    expect(me.user.id).toBe(alice.id);
    expect(me.authMethod).toBe("bearer");
  });

  it("refuses anonymous, expired and tampered tokens with UNAUTHORIZED", async () => {
    expect(await codeOf((await anonymousCaller()).auth.me())).toBe("UNAUTHORIZED");

    const expired = await signSession(alice.id, -10);
    const e1 = await (await callerFor(undefined, `voltlab_session=${expired}`)).auth.me().catch((e: TRPCError) => e);
    expect((e1 as TRPCError).code).toBe("UNAUTHORIZED");
    expect((e1 as TRPCError).message).toMatch(/expired/);

    // Claim to be someone else by editing the payload: the signature no longer matches.
    const [h, , s] = alice.token.split(".");
    const forged = Buffer.from(
      JSON.stringify({ sub: "1", iss: "voltlab", aud: "voltlab-web", exp: 9999999999 }),
    ).toString("base64url");
    const e2 = await (await callerFor(`Bearer ${h}.${forged}.${s}`)).auth.me().catch((e: TRPCError) => e);
    expect((e2 as TRPCError).code).toBe("UNAUTHORIZED");
    expect((e2 as TRPCError).message).toMatch(/invalid session/);

    // Signed with another secret.
    const other = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setSubject(String(alice.id))
      .setIssuer("voltlab")
      .setAudience("voltlab-web")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("x".repeat(40)));
    expect(await codeOf((await callerFor(`Bearer ${other}`)).auth.me())).toBe("UNAUTHORIZED");
  });
});

describe("API keys", () => {
  it("a key authenticates as its owner, is listed by prefix, records last use, and stops working once revoked", async () => {
    const u = await createTestUser("keys");
    const created = await u.caller.apiKeys.create({ name: "gpu server" });
    expect(created.key).toMatch(/^vl_[A-Za-z0-9_-]{43}$/);
    const viaKey = await callerFor(`Bearer ${created.key}`);
    const me = await viaKey.auth.me();
    expect(me.user.id).toBe(u.id);
    expect(me.authMethod).toBe("api-key");

    const listed = (await u.caller.apiKeys.list()).find((k) => k.id === created.apiKey.id)!;
    expect(listed.prefix).toBe(created.key.slice(0, 10));
    expect(listed.lastUsedAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(created.key); // never shown again

    await u.caller.apiKeys.revoke({ id: created.apiKey.id });
    const e = await (await callerFor(`Bearer ${created.key}`)).auth.me().catch((x: TRPCError) => x);
    expect((e as TRPCError).code).toBe("UNAUTHORIZED");
    expect((e as TRPCError).message).toMatch(/unknown or revoked/);
  });

  it("a malformed API key is refused with a message about the key, not about a session (#23 item 6)", async () => {
    const u = await createTestUser("badkey");
    for (const bad of [u.apiKey.slice(0, -1), `${u.apiKey}x`, "vl_short", "my-api-key", u.apiKey.replace("vl_", "")]) {
      const e = (await (await callerFor(`Bearer ${bad}`)).auth.me().catch((x: TRPCError) => x)) as TRPCError;
      expect(e.code, bad).toBe("UNAUTHORIZED");
      expect(e.message, bad).toMatch(
        /^Not signed in: Invalid API key format: a key is "vl_" followed by 43 characters/,
      );
      expect(e.message, bad).not.toMatch(/session/);
    }
    // A damaged session token (three dot-separated parts) is still named as one.
    // Changed well inside the signature: the last base64url character carries padding bits, so
    // rewriting only the end could leave the signature's bytes unchanged (a passing token).
    const i = u.token.length - 10;
    const damaged = `${u.token.slice(0, i)}${u.token[i] === "A" ? "B" : "A"}${u.token.slice(i + 1)}`;
    const jwt = (await (await callerFor(`Bearer ${damaged}`)).auth.me().catch((x: TRPCError) => x)) as TRPCError;
    expect(jwt.message).toMatch(/invalid session token/);
  });

  it("rejects bad names and unknown ids clearly", async () => {
    expect(await codeOf(alice.caller.apiKeys.create({ name: "   " }))).toBe("BAD_REQUEST");
    expect(await codeOf(alice.caller.apiKeys.revoke({ id: 999_999_999 }))).toBe("NOT_FOUND");
    expect(await codeOf(alice.caller.apiKeys.revoke({ id: -1 }))).toBe("BAD_REQUEST");
  });
});

describe("over HTTP", () => {
  it("login sets an httpOnly SameSite=Lax cookie with an expiry; malformed bodies are 400 with the field named", async () => {
    const server = await startTestServer({ withRemix: false });
    try {
      const res = await fetch(`${server.url}/api/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: alice.email, password: alice.password } }),
      });
      expect(res.status).toBe(200);
      const cookie = res.headers.get("set-cookie") ?? "";
      expect(cookie).toMatch(/voltlab_session=/);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      expect(cookie).toMatch(/Max-Age=\d+/i);

      const me = await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie: cookie.split(";")[0] } });
      expect(me.status).toBe(200);

      const bad = await fetch(`${server.url}/api/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ json: { email: "x" } }),
      });
      expect(bad.status).toBe(400);
      const body = (await bad.json()) as {
        error: { json: { message: string; data: { zodError: { fieldErrors: Record<string, string[]> } } } };
      };
      expect(body.error.json.message).toContain("email");
      expect(Object.keys(body.error.json.data.zodError.fieldErrors)).toEqual(
        expect.arrayContaining(["email", "password"]),
      );

      const garbage = await fetch(`${server.url}/api/trpc/auth.login`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{not json",
      });
      expect(garbage.status).toBeGreaterThanOrEqual(400);
      expect(garbage.status).toBeLessThan(500);
    } finally {
      await server.close();
    }
  });
});
