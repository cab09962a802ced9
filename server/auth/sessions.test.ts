/** Finding 4 of issue #20: sessions can be ended (logout, sign out everywhere, password change); token only in the cookie. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestUser, type TestUser } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { closeDb } from "../../db/db.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let u: TestUser;
beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  u = await createTestUser("sessions");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

async function post(path: string, json: unknown, cookie?: string) {
  return fetch(`${server.url}/api/trpc/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ json }),
  });
}

/** Signs in over HTTP; returns the cookie pair and the response body text. */
async function signIn(email: string, password: string) {
  const res = await post("auth.login", { email, password });
  expect(res.status).toBe(200);
  const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0]!;
  expect(cookie).toMatch(/^voltlab_session=.+/);
  return { cookie, body: await res.text() };
}

async function meStatus(cookie: string) {
  return (await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie } })).status;
}

describe("sessions", () => {
  it("login and register never put the token in the response body", async () => {
    const { cookie, body } = await signIn(u.email, u.password);
    const token = cookie.split("=")[1]!;
    expect(body).not.toContain(token);
    expect(body).not.toMatch(/"token"/);
  });

  it("logout ends the session: the old token is refused afterwards, even if it was copied", async () => {
    const { cookie } = await signIn(u.email, u.password);
    expect(await meStatus(cookie)).toBe(200);
    const out = await post("auth.logout", null, cookie);
    expect(out.status).toBe(200);
    expect(out.headers.get("set-cookie")).toMatch(/voltlab_session=;.*Max-Age=0/i);
    expect(await meStatus(cookie)).toBe(401);
    const body = await (await fetch(`${server.url}/api/trpc/auth.me`, { headers: { cookie } })).text();
    expect(body).toMatch(/session ended/);
  });

  it("sign out everywhere ends every session of the user and no one else's", async () => {
    const other = await createTestUser("bystander");
    const theirs = await signIn(other.email, other.password);
    const a = await signIn(u.email, u.password);
    const b = await signIn(u.email, u.password);
    const res = await post("auth.logoutEverywhere", null, a.cookie);
    expect(res.status).toBe(200);
    expect(await meStatus(a.cookie)).toBe(401);
    expect(await meStatus(b.cookie)).toBe(401);
    expect(await meStatus(theirs.cookie)).toBe(200);
    // API keys are for scripts and survive: revoke them on the account page.
    expect((await u.keyCaller.auth.me()).user.id).toBe(u.id);
  });

  it("changing the password ends the other sessions, keeps this one, and needs the current password", async () => {
    const w = await createTestUser("pwchange");
    const here = await signIn(w.email, w.password);
    const elsewhere = await signIn(w.email, w.password);
    const wrong = await post(
      "auth.changePassword",
      { currentPassword: "not it at all", newPassword: "a brand new password" },
      here.cookie,
    );
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toMatch(/current password is wrong/);
    expect(await meStatus(elsewhere.cookie)).toBe(200);

    const ok = await post(
      "auth.changePassword",
      { currentPassword: w.password, newPassword: "a brand new password" },
      here.cookie,
    );
    expect(ok.status).toBe(200);
    expect(await meStatus(here.cookie)).toBe(200);
    expect(await meStatus(elsewhere.cookie)).toBe(401);
    expect((await post("auth.login", { email: w.email, password: w.password })).status).toBe(401);
    await signIn(w.email, "a brand new password");
  });
});
