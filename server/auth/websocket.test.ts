/** Findings 1 and 4 of issue #20: cross-site WebSocket hijacking; a revoked credential on an open socket. */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import WebSocket from "ws";
import { createTestUser, type TestUser } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { closeDb } from "../../db/db.js";

process.env.ALLOWED_ORIGINS = "https://trusted.example:8443";

let server: Awaited<ReturnType<typeof startTestServer>>;
let u: TestUser;
beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  u = await createTestUser("ws");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

const wsUrl = () => `${server.url.replace(/^http/, "ws")}/api/trpc`;

/** Opens a socket; resolves with the open socket or the HTTP status that refused the upgrade. */
function open(headers: Record<string, string>): Promise<{ ws?: WebSocket; status?: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(wsUrl(), { headers });
    ws.once("open", () => resolve({ ws }));
    ws.once("unexpected-response", (_req, res) => resolve({ status: res.statusCode }));
    ws.once("error", reject);
  });
}

/** One tRPC call over the socket (the wire format of @trpc/server's WebSocket adapter). */
function call(
  ws: WebSocket,
  id: number,
  method: "query" | "mutation",
  path: string,
  input?: unknown,
): Promise<{ result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string } } } }> {
  return new Promise((resolve, reject) => {
    const onMessage = (raw: WebSocket.RawData) => {
      if (String(raw) === "PING") return; // keep-alive
      const msg = JSON.parse(String(raw)) as { id?: number };
      if (msg.id !== id) return;
      ws.off("message", onMessage);
      resolve(msg as never);
    };
    ws.on("message", onMessage);
    ws.once("close", (code) => reject(new Error(`socket closed ${code}`)));
    ws.send(JSON.stringify({ id, method, params: { path, input: { json: input ?? null } } }));
  });
}

const closed = (ws: WebSocket) => new Promise<number>((r) => ws.once("close", (code) => r(code)));

describe("finding 1: cross-site WebSocket", () => {
  it("refuses an upgrade from a foreign origin, even another port of the same host, with the victim's cookie", async () => {
    const cookie = `voltlab_session=${u.token}`;
    const port = Number(new URL(server.url).port);
    for (const origin of [`http://127.0.0.1:${port + 1}`, "http://evil.example", "null"]) {
      expect((await open({ origin, cookie })).status, origin).toBe(403);
    }
  });

  it("accepts its own origin, origins in ALLOWED_ORIGINS, and scripts that send no Origin", async () => {
    const cookie = `voltlab_session=${u.token}`;
    const cases: Record<string, string>[] = [
      { origin: server.url, cookie },
      { origin: "https://trusted.example:8443", cookie },
      { cookie },
    ];
    for (const headers of cases) {
      const { ws, status } = await open(headers);
      expect(status, JSON.stringify(headers)).toBeUndefined();
      const r = await call(ws!, 1, "query", "auth.me");
      expect((r.result?.data.json as { user: { id: number } }).user.id).toBe(u.id);
      ws!.close();
    }
  });

  it("refuses cookie-carrying HTTP calls that come from a foreign origin", async () => {
    const res = await fetch(`${server.url}/api/trpc/apiKeys.create`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        origin: "http://127.0.0.1:1",
        cookie: `voltlab_session=${u.token}`,
      },
      body: JSON.stringify({ json: { name: "stolen" } }),
    });
    expect(res.status).toBe(403);
    expect((await u.caller.apiKeys.list()).some((k) => k.name === "stolen")).toBe(false);
  });
});

describe("finding 4: a revoked credential on an open socket", () => {
  it("a revoked API key stops working on the socket it opened, which is then closed", async () => {
    const { key, apiKey } = await u.caller.apiKeys.create({ name: "ws-key" });
    const { ws } = await open({ authorization: `Bearer ${key}` });
    expect(((await call(ws!, 1, "query", "auth.me")).result?.data.json as { user: { id: number } }).user.id).toBe(u.id);
    const closing = closed(ws!);
    await u.caller.apiKeys.revoke({ id: apiKey.id });
    expect(await closing).toBe(4401);
  });

  it("every call re-checks the credential: an ended session is refused on the next call", async () => {
    const v = await createTestUser("ws-session");
    const { ws } = await open({ cookie: `voltlab_session=${v.token}` });
    expect((await call(ws!, 1, "query", "auth.me")).result).toBeDefined();
    // End the session directly in the database (as another web process would), so no close signal arrives here.
    const { db } = await import("../../db/db.js");
    await db()("sessions").where({ userId: v.id }).update({ revokedAt: new Date() });
    const r = await call(ws!, 2, "mutation", "apiKeys.create", { name: "after logout" });
    expect(r.error?.json.data.code).toBe("UNAUTHORIZED");
    expect(r.error?.json.message).toMatch(/session ended/);
    ws!.close();
  });

  it("sign-in procedures are not served over the socket", async () => {
    const { ws } = await open({});
    const r = await call(ws!, 1, "mutation", "auth.login", { email: u.email, password: u.password });
    expect(r.error?.json.message).toMatch(/HTTP only/);
    ws!.close();
  });
});
