/** Findings 7, 8 and 11 of issue #20: REST authenticates before reading a body, sized limit, deep nesting, same validation as tRPC. */
import http from "node:http";
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { createTestUser, type TestUser } from "../testing/users.js";
import { startTestServer } from "../testing/server.js";
import { MAX_JSON_BODY_BYTES } from "../body-limit.js";
import { EnergyAsset } from "../../db/models/energy-asset.js";
import { closeDb } from "../../db/db.js";

let server: Awaited<ReturnType<typeof startTestServer>>;
let u: TestUser;
beforeAll(async () => {
  server = await startTestServer({ withRemix: false });
  u = await createTestUser("rest-hard");
});
afterAll(async () => {
  await server.close();
  await closeDb();
});

/**
 * Streams a `declared`-byte body in 1 MB chunks and stops as soon as the answer arrives.
 * Returns the status and how many bytes had been sent by then.
 */
function streamBody(
  path: string,
  declared: number,
  headers: Record<string, string>,
): Promise<{ status: number; sent: number; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(url, {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(declared), ...headers },
    });
    req.on("response", (res) => {
      answered = true;
      let body = "";
      res.on("data", (c) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode!, sent, body }));
    });
    req.on("error", (e) => (answered ? undefined : reject(e)));
    const chunk = Buffer.alloc(1024 * 1024, 0x20);
    const pump = () => {
      while (!answered && sent < declared) {
        const n = Math.min(chunk.length, declared - sent);
        sent += n;
        if (!req.write(n === chunk.length ? chunk : chunk.subarray(0, n)))
          return void req.once("drain", () => setTimeout(pump, 5));
      }
      if (sent >= declared) req.end();
    };
    pump();
  });
}

describe("finding 7: REST reads no body before authenticating", () => {
  it("answers a 50 MB body without a key with 401 before it has been sent", async () => {
    const r = await streamBody("/api/v1/energy/assets", 50 * 1024 * 1024, {});
    expect(r.status).toBe(401);
    expect(r.body).toMatch(/API key/);
    expect(r.sent).toBeLessThan(20 * 1024 * 1024);
  });

  it("with a key, refuses a body declared larger than the largest valid upload with 413 at once", async () => {
    expect(MAX_JSON_BODY_BYTES).toBeLessThan(29 * 1024 * 1024); // 20 MB base64 + room, not 64 MB
    const r = await streamBody("/api/v1/energy/assets", MAX_JSON_BODY_BYTES + 1, {
      authorization: `Bearer ${u.apiKey}`,
    });
    expect(r.status).toBe(413);
    expect(r.body).toMatch(/limit/);
    expect(r.sent).toBeLessThan(MAX_JSON_BODY_BYTES);
  });
});

describe("finding 8: deep nesting", () => {
  it("a body nested 5,000 deep is a 400 naming the problem, not a 500", async () => {
    const deep = "[".repeat(5000) + "]".repeat(5000);
    const res = await fetch(`${server.url}/api/v1/energy/assets`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${u.apiKey}` },
      body: `{"name":"deep","description":${deep}}`,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toMatch(/nests too deeply/);
  });
});

describe("finding 11: REST validates exactly as tRPC", () => {
  it("reads a JSON body sent with a charset parameter", async () => {
    const name = `charset-${Date.now()}`;
    const res = await fetch(`${server.url}/api/v1/energy/assets`, {
      method: "POST",
      headers: { "content-type": "application/json; charset=utf-8", authorization: `Bearer ${u.apiKey}` },
      body: JSON.stringify({ name }),
    });
    expect(res.status).toBe(200);
    expect(await EnergyAsset.query().findOne({ userId: u.id, name })).toBeDefined();
  });

  it('refuses a number sent as a string in a body ("from": "5"), as tRPC does; path ids still parse', async () => {
    const res = await fetch(`${server.url}/api/v1/anomaly/detectors/999999999/detections`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${u.apiKey}` },
      body: JSON.stringify({ from: "5" }),
    });
    expect(res.status).toBe(400);
    const b = (await res.json()) as { message: string; issues: { path: string[]; message: string }[] };
    expect(b.issues.map((i) => i.path.join("."))).toContain("from");
    // The message names the field, as over tRPC, instead of a bare "Input validation failed".
    expect(b.message).toBe("Invalid input: from: Expected number, received string");
    // The same body with a number reaches the ownership check (no such detector).
    const ok = await fetch(`${server.url}/api/v1/anomaly/detectors/999999999/detections`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${u.apiKey}` },
      body: JSON.stringify({ from: 5 }),
    });
    expect(ok.status).toBe(404);
  });
});
