/**
 * /healthz (the process answers) and /readyz (database and store reachable; 503 naming the
 * failing part): on the S3 backend (s3rver on loopback, then stopped) in this process, and a
 * web process started against a database that is not there.
 */
import { describe, it, expect, afterAll } from "vitest";
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { startTestS3 } from "../testing/s3.js";

const s3 = await startTestS3();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-health-"));
Object.assign(process.env, s3.env, { DATA_DIR: dataDir });

const { closeDb } = await import("../../db/db.js");
const { startTestServer } = await import("../testing/server.js");
const { S3ArtifactStore } = await import("../storage/artifacts.js");

let s3Closed = false;
afterAll(async () => {
  await closeDb();
  if (!s3Closed) await s3.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function get(url: string) {
  const res = await fetch(url);
  return { status: res.status, body: (await res.json()) as any };
}

async function freePort(): Promise<number> {
  const srv = net.createServer();
  await new Promise<void>((r) => srv.listen(0, "127.0.0.1", r));
  const port = (srv.address() as net.AddressInfo).port;
  await new Promise((r) => srv.close(r));
  return port;
}

describe("health and readiness probes", () => {
  it("ready with the database and the bucket; 503 naming the store once the S3 server is gone, while /healthz stays 200", async () => {
    const server = await startTestServer({ withRemix: false });
    try {
      expect(await get(`${server.url}/healthz`)).toEqual({ status: 200, body: { ok: true } });
      const ok = await get(`${server.url}/readyz`);
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({
        ready: true,
        failing: [],
        checks: { database: { ok: true }, store: { ok: true } },
      });
      // The write probe cleans up after itself.
      expect(await new S3ArtifactStore(s3.settings).list("_health")).toEqual([]);

      await s3.close();
      s3Closed = true;
      const down = await get(`${server.url}/readyz`);
      expect(down.status).toBe(503);
      expect(down.body.failing).toEqual(["store"]);
      expect(down.body.checks.database.ok).toBe(true);
      expect(down.body.error).toMatch(/^not ready: store \(.+\)/);
      expect((await get(`${server.url}/healthz`)).status).toBe(200);
    } finally {
      await server.close();
    }
  });

  it("a web process whose database is down answers /healthz and reports the database on /readyz", async () => {
    const deadDbPort = await freePort(); // nothing listens there
    const script = [
      'const { createServer } = await import("./server/app.ts");',
      'const s = await (await createServer({ withRemix: false })).listen(0, "127.0.0.1");',
      "console.log(`listening ${s.port}`);",
    ].join("\n");
    const localData = fs.mkdtempSync(path.join(dataDir, "web-"));
    const proc = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: "test",
        DATABASE_URL: `mysql://voltlab:x@127.0.0.1:${deadDbPort}/voltlab`,
        DATA_DIR: localData,
        JWT_SECRET: "x".repeat(32),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      let out = "";
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`web process not listening after 45 s:\n${out}`)), 45_000);
        proc.stdout.on("data", (b: Buffer) => {
          out += b.toString();
          const m = out.match(/listening (\d+)/);
          if (m) (clearTimeout(timer), resolve(Number(m[1])));
        });
        proc.stderr.on("data", (b: Buffer) => (out += b.toString()));
        proc.on("exit", (code) => (clearTimeout(timer), reject(new Error(`web process exited (${code}):\n${out}`))));
      });
      const url = `http://127.0.0.1:${port}`;
      expect(await get(`${url}/healthz`)).toEqual({ status: 200, body: { ok: true } });
      const r = await get(`${url}/readyz`);
      expect(r.status).toBe(503);
      expect(r.body.failing).toEqual(["database"]);
      expect(r.body.checks.store.ok).toBe(true);
      expect(r.body.checks.database.error).toContain("ECONNREFUSED");
      expect(r.body.error).toContain("database");
    } finally {
      proc.kill("SIGKILL");
    }
  });
});
