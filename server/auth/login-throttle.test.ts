/** Findings 2 and 5 of issue #20: login batching, lock-out keyed by email + address, registration limits. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { TRPCError } from "@trpc/server";
import { anonymousCaller, createTestUser, uniqueEmail } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { BackoffThrottle } from "./rate-limit.js";
import { closeDb } from "../../db/db.js";

// Small limits for this file (env() is read lazily, after this runs).
process.env.LOGIN_MAX_ATTEMPTS = "5";
process.env.LOGIN_IP_MAX_ATTEMPTS = "15";
process.env.REGISTER_MAX_PER_HOUR = "3";

async function codeOf(p: Promise<unknown>): Promise<string> {
  return p.then(
    () => "OK",
    (e: unknown) => (e instanceof TRPCError ? e.code : `non-trpc: ${String(e)}`),
  );
}

let server: Awaited<ReturnType<typeof startTestServer>>;
beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

function httpLogin(path: string, body: unknown) {
  return fetch(`${server.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

describe("finding 2: login attempts cannot be batched or raced past the limit", () => {
  it("refuses a batched request that contains an auth procedure, and signs nobody in", async () => {
    const u = await createTestUser("batch");
    const wrong = { json: { email: u.email, password: "wrong password" } };
    const right = { json: { email: u.email, password: u.password } };
    const res = await httpLogin("auth.login,auth.login,auth.login?batch=1", { 0: wrong, 1: wrong, 2: right });
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/cannot be batched/);
    expect(res.headers.get("set-cookie")).toBeNull();
    // A batch of one (what the browser's batch link sends) still works.
    const one = await httpLogin("auth.login?batch=1", { 0: right });
    expect(one.status).toBe(200);
    expect(one.headers.get("set-cookie")).toMatch(/voltlab_session=/);
  });

  it("25 concurrent wrong passwords and then the right one: only the first 5 (LOGIN_MAX_ATTEMPTS) are checked, the right one is refused", async () => {
    const u = await createTestUser("race");
    const anon = await anonymousCaller("10.20.0.1");
    const calls = Array.from({ length: 26 }, (_, i) =>
      codeOf(anon.auth.login({ email: u.email, password: i === 25 ? u.password : `wrong password ${i}` })),
    );
    const codes = await Promise.all(calls);
    expect(codes.filter((c) => c === "UNAUTHORIZED")).toHaveLength(5);
    expect(codes.filter((c) => c === "TOO_MANY_REQUESTS")).toHaveLength(21);
    expect(codes[25]).toBe("TOO_MANY_REQUESTS");
  });
});

describe("finding 5: lock-out keyed by email and address, with back-off and Retry-After", () => {
  it("an attacker's failures lock only that address for that email; the owner elsewhere still signs in", async () => {
    const u = await createTestUser("victim");
    const attacker = await anonymousCaller("10.30.0.1");
    for (let i = 0; i < 5; i++)
      expect(await codeOf(attacker.auth.login({ email: u.email, password: "bad password" }))).toBe("UNAUTHORIZED");
    expect(await codeOf(attacker.auth.login({ email: u.email, password: u.password }))).toBe("TOO_MANY_REQUESTS");
    const owner = await anonymousCaller("10.30.0.2");
    expect(await codeOf(owner.auth.login({ email: u.email, password: u.password }))).toBe("OK");
  });

  it("a success clears the count: 4 typos, a success, 4 more typos, and a success again", async () => {
    const u = await createTestUser("typos");
    const anon = await anonymousCaller("10.31.0.1");
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++)
        expect(await codeOf(anon.auth.login({ email: u.email, password: "typo password" }))).toBe("UNAUTHORIZED");
      expect(await codeOf(anon.auth.login({ email: u.email, password: u.password }))).toBe("OK");
    }
  });

  it("one address spraying many emails waits after LOGIN_IP_MAX_ATTEMPTS, other addresses do not", async () => {
    const spray = await anonymousCaller("10.32.0.1");
    for (let i = 0; i < 15; i++)
      expect(await codeOf(spray.auth.login({ email: uniqueEmail("spray"), password: "bad password" }))).toBe(
        "UNAUTHORIZED",
      );
    expect(await codeOf(spray.auth.login({ email: uniqueEmail("spray"), password: "bad password" }))).toBe(
      "TOO_MANY_REQUESTS",
    );
    expect(
      await codeOf(
        (await anonymousCaller("10.32.0.2")).auth.login({ email: uniqueEmail("x"), password: "bad password" }),
      ),
    ).toBe("UNAUTHORIZED");
  });

  it("over HTTP the refusal is a 429 with Retry-After in seconds", async () => {
    const u = await createTestUser("retry");
    for (let i = 0; i < 5; i++)
      expect((await httpLogin("auth.login", { json: { email: u.email, password: "bad password" } })).status).toBe(401);
    const res = await httpLogin("auth.login", { json: { email: u.email, password: u.password } });
    expect(res.status).toBe(429);
    const after = Number(res.headers.get("retry-after"));
    expect(after).toBeGreaterThanOrEqual(1);
    expect(after).toBeLessThanOrEqual(30);
    expect(((await res.json()) as { error: { json: { message: string } } }).error.json.message).toMatch(
      /try again in \d+ s/,
    );
  });

  it("the lock doubles with each further failure, up to the cap", () => {
    const t = new BackoffThrottle(3, 1000, 5000);
    let now = 0;
    const fail = () => {
      expect(t.wait("k", now)).toBe(0);
      t.attempt("k", now);
      return t.wait("k", now);
    };
    expect(fail()).toBe(0);
    expect(fail()).toBe(0);
    expect(fail()).toBe(1000); // the 3rd attempt locks for the base
    now += 1000;
    expect(fail()).toBe(2000);
    now += 2000;
    expect(fail()).toBe(4000);
    now += 4000;
    expect(fail()).toBe(5000); // capped
    t.succeed("k");
    expect(t.wait("k", now)).toBe(0);
  });
});

describe("finding 5: registration", () => {
  it("is limited per address per hour", async () => {
    const anon = await anonymousCaller("10.40.0.1");
    for (let i = 0; i < 3; i++) {
      expect(
        await codeOf(anon.auth.register({ email: uniqueEmail("mass"), password: "long enough pw", displayName: "m" })),
      ).toBe("OK");
    }
    expect(
      await codeOf(anon.auth.register({ email: uniqueEmail("mass"), password: "long enough pw", displayName: "m" })),
    ).toBe("TOO_MANY_REQUESTS");
    const other = await anonymousCaller("10.40.0.2");
    expect(
      await codeOf(other.auth.register({ email: uniqueEmail("mass"), password: "long enough pw", displayName: "m" })),
    ).toBe("OK");
  });

  it("answers 'already exists' no faster than it creates an account (no timing oracle)", async () => {
    const existing = await createTestUser("exists");
    const time = async (ip: string, email: string) => {
      const t0 = performance.now();
      await codeOf((await anonymousCaller(ip)).auth.register({ email, password: "long enough pw", displayName: "t" }));
      return performance.now() - t0;
    };
    const fresh = Math.min(await time("10.41.0.1", uniqueEmail("t")), await time("10.41.0.2", uniqueEmail("t")));
    const dup = Math.min(await time("10.41.0.3", existing.email), await time("10.41.0.4", existing.email));
    // Before the fix the duplicate answered ~20x faster; both now spend the one password hash.
    expect(dup).toBeGreaterThan(fresh * 0.4);
  });
});
