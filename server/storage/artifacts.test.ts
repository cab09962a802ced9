/**
 * The artifact store's contract, run against both backends: the local folder and an
 * S3-compatible bucket on a real S3 server on loopback (s3rver).
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { artifactKey, storedName, LocalArtifactStore, S3ArtifactStore, type ArtifactStore } from "./artifacts.js";
import { startTestS3, type TestS3 } from "../testing/s3.js";

let s3: TestS3;
let localRoot: string;
const stores: Record<string, () => ArtifactStore> = {};

beforeAll(async () => {
  s3 = await startTestS3();
  localRoot = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-store-"));
  const local = new LocalArtifactStore(localRoot);
  const bucket = new S3ArtifactStore(s3.settings);
  stores.local = () => local;
  stores.s3 = () => bucket;
});

afterAll(async () => {
  await s3?.close();
  fs.rmSync(localRoot, { recursive: true, force: true });
});

/** A TCP proxy to the S3 server that cuts every connection after `limit` bytes from the client. */
async function cuttingProxy(target: string, limit: number): Promise<{ endpoint: string; close(): void }> {
  const { hostname, port } = new URL(target);
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    let seen = 0;
    client.on("data", (chunk) => {
      seen += chunk.length;
      if (seen > limit) {
        client.destroy();
        upstream.destroy();
      } else upstream.write(chunk);
    });
    upstream.on("data", (c) => client.write(c));
    upstream.on("error", () => client.destroy());
    client.on("error", () => upstream.destroy());
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { endpoint: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, close: () => server.close() };
}

describe.each(["local", "s3"])("artifact store (%s backend)", (backend) => {
  const store = () => stores[backend]();

  it("puts, gets, streams, sizes, lists, moves and deletes files under domain keys", async () => {
    const s = store();
    const key = artifactKey(7, "battery-models", 99, "config.json");
    expect(key).toBe("7/battery-models/99/config.json");
    await s.put(key, JSON.stringify({ a: 1 }));
    await s.put(artifactKey(7, "battery-models", 99, "model.onnx"), new Uint8Array([1, 2, 3]));
    await s.put(artifactKey(7, "energy-models", 99, "model.onnx"), new Uint8Array([9]));
    expect(JSON.parse((await s.get(key)).toString())).toEqual({ a: 1 });
    expect(await s.size(key)).toBe(7);
    const chunks: Buffer[] = [];
    for await (const c of await s.stream(artifactKey(7, "battery-models", 99, "model.onnx"))) chunks.push(c as Buffer);
    expect([...Buffer.concat(chunks)]).toEqual([1, 2, 3]);
    expect(await s.list(artifactKey(7, "battery-models", 99))).toEqual([
      "7/battery-models/99/config.json",
      "7/battery-models/99/model.onnx",
    ]);
    expect(await s.listSized(artifactKey(7, "battery-models", 99))).toEqual([
      { key: "7/battery-models/99/config.json", size: 7 },
      { key: "7/battery-models/99/model.onnx", size: 3 },
    ]);
    // A library that needs a path (LibTorch, onnxruntime) gets a real file with the bytes.
    expect([
      ...(await s.withLocalFile(artifactKey(7, "battery-models", 99, "model.onnx"), (f) => fsp.readFile(f))),
    ]).toEqual([1, 2, 3]);

    await s.move(key, artifactKey(7, "battery-models", 100, "config.json"));
    expect(await s.exists(key)).toBe(false);
    expect(JSON.parse((await s.get(artifactKey(7, "battery-models", 100, "config.json"))).toString())).toEqual({
      a: 1,
    });

    await s.deletePrefix(artifactKey(7, "battery-models", 99));
    expect(await s.list(artifactKey(7, "battery-models", 99))).toEqual([]);
    // The other domain's folder with the same id is untouched.
    expect([...(await s.get(artifactKey(7, "energy-models", 99, "model.onnx")))]).toEqual([9]);
    await s.delete(artifactKey(7, "energy-models", 99, "model.onnx"));
    expect(await s.exists(artifactKey(7, "energy-models", 99, "model.onnx"))).toBe(false);
  });

  it("a missing file is an ENOENT error naming the problem, on get, stream and size", async () => {
    const s = store();
    const key = artifactKey(7, "test-exports", 12345, "result.csv");
    await expect(s.get(key)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(s.stream(key)).rejects.toMatchObject({ code: "ENOENT" });
    await expect(s.size(key)).rejects.toMatchObject({ code: "ENOENT" });
    expect(await s.exists(key)).toBe(false);
    expect(await s.list(artifactKey(7, "test-exports", 12345))).toEqual([]);
  });

  it("refuses keys that climb out of the store", async () => {
    await expect(store().get("../etc/passwd")).rejects.toThrow(/invalid artifact key/);
    await expect(store().put("/abs/x", "x")).rejects.toThrow(/invalid artifact key/);
  });
});

describe("failed writes leave nothing visible", () => {
  it("s3: an upload cut off mid-way leaves the key absent, and the previous file whole", async () => {
    const good = new S3ArtifactStore(s3.settings);
    const big = Buffer.alloc(3 * 1024 * 1024, 7);
    const kept = artifactKey(8, "battery-uploads", 1, "source.csv");
    await good.put(kept, "v1");
    const proxy = await cuttingProxy(s3.settings.endpoint!, 256 * 1024);
    try {
      const cut = new S3ArtifactStore({ ...s3.settings, endpoint: proxy.endpoint });
      const fresh = artifactKey(8, "battery-uploads", 2, "source.csv");
      await expect(cut.put(fresh, big)).rejects.toThrow();
      await expect(cut.put(kept, big)).rejects.toThrow();
      expect(await good.exists(fresh)).toBe(false);
      expect((await good.get(kept)).toString()).toBe("v1");
      expect(await good.list("_staging")).toEqual([]);
    } finally {
      proxy.close();
    }
  });

  it("local: a put that cannot land leaves no temporary file and the folder as it was", async () => {
    const s = stores.local() as LocalArtifactStore;
    const key = artifactKey(8, "battery-models", 5, "model.onnx");
    await s.put(`${key}/blocker`, "x"); // a folder where the file should go: the rename fails
    await expect(s.put(key, Buffer.alloc(1024))).rejects.toThrow();
    expect(await s.list(artifactKey(8, "battery-models", 5))).toEqual([`${key}/blocker`]);
    expect(fs.readdirSync(path.dirname(s.localPath(key)))).toEqual(["model.onnx"]);
  });

  it("s3: an unreachable server is an error naming the bucket, and nothing is written", async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, "127.0.0.1", r));
    const port = (closed.address() as net.AddressInfo).port;
    closed.close();
    const away = new S3ArtifactStore({ ...s3.settings, endpoint: `http://127.0.0.1:${port}` });
    await expect(away.put(artifactKey(1, "battery-uploads", 1, "source.csv"), "x")).rejects.toThrow(
      `S3 bucket "${s3.settings.bucket}" is not reachable`,
    );
  });

  it("s3: the bucket is created when missing", async () => {
    const fresh = new S3ArtifactStore({ ...s3.settings, bucket: `${s3.settings.bucket}-new` });
    await fresh.put(artifactKey(1, "detections", 1, "points.json"), "[]");
    expect((await fresh.get(artifactKey(1, "detections", 1, "points.json"))).toString()).toBe("[]");
  });
});

describe("keys", () => {
  it("name the domain and refuse anything but safe segments", () => {
    expect(artifactKey(3, "energy-uploads", 4, "energy-4.csv")).toBe("3/energy-uploads/4/energy-4.csv");
    expect(() => artifactKey(1, "uploads" as never, 2)).toThrow(/unknown artifact domain/);
    expect(() => artifactKey(1, "battery-uploads", 2, "../../etc/passwd")).toThrow(/invalid artifact key/);
    expect(() => artifactKey(1, "battery-uploads", 2, "a/b")).toThrow(/invalid artifact key/);
    expect(() => artifactKey(1, "battery-uploads", 2, "..")).toThrow(/invalid artifact key/);
    expect(storedName("CSV")).toMatch(/^[0-9a-f]{24}\.csv$/);
    expect(storedName("../x")).toMatch(/^[0-9a-f]{24}\.x$/);
  });
});
