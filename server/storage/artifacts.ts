/**
 * The artifact store: every file the platform writes (uploads, model files, exports) goes
 * through here, so a shared store (an S3-compatible bucket) can replace the local folder
 * without touching callers. Layout (architecture.md):
 *   {userId}/uploads/{uploadId}/{storedName}
 *   {userId}/models/{modelVersionId}/checkpoint.pt | model.onnx | config.json
 *   {userId}/exports/{testJobId}/result.csv | result.xlsx
 * Keys are built only from ids and fixed names; nothing in a key comes from the user.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import type { Readable } from "node:stream";
import { env } from "../env.js";

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function assertSegment(s: string | number): string {
  const v = String(s);
  if (!SEGMENT.test(v) || v.includes("..")) throw new Error(`invalid artifact key segment "${v}"`);
  return v;
}

export type ArtifactKind = "uploads" | "models" | "exports";

/** A key such as "12/models/34/model.onnx". */
export function artifactKey(userId: number, kind: ArtifactKind, ownerId: number | string, name?: string): string {
  const parts = [assertSegment(userId), kind, assertSegment(ownerId)];
  if (name !== undefined) parts.push(assertSegment(name));
  return parts.join("/");
}

/** A stored file name that never comes from the user: random, with a safe extension. */
export function storedName(extension: string): string {
  const ext = extension.toLowerCase().replace(/[^a-z0-9]/g, "").slice(0, 8);
  return `${crypto.randomBytes(12).toString("hex")}${ext ? `.${ext}` : ""}`;
}

export interface ArtifactStore {
  /** Writes atomically (a partial file is never visible under the key). */
  put(key: string, data: Uint8Array | string): Promise<void>;
  get(key: string): Promise<Buffer>;
  stream(key: string): Readable;
  exists(key: string): Promise<boolean>;
  size(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Removes every file under a key prefix (a folder). */
  deletePrefix(prefix: string): Promise<void>;
  /** A local path for libraries that need one (LibTorch checkpoints); local store only. */
  localPath(key: string): string;
}

class LocalArtifactStore implements ArtifactStore {
  constructor(private readonly root: string) {}

  localPath(key: string): string {
    const full = path.resolve(this.root, key);
    if (!full.startsWith(path.resolve(this.root) + path.sep)) throw new Error(`artifact key escapes the store: ${key}`);
    return full;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const full = this.localPath(key);
    await fsp.mkdir(path.dirname(full), { recursive: true });
    const tmp = `${full}.tmp-${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    try {
      await fsp.writeFile(tmp, data);
      await fsp.rename(tmp, full);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  get(key: string): Promise<Buffer> {
    return fsp.readFile(this.localPath(key));
  }

  stream(key: string): Readable {
    return fs.createReadStream(this.localPath(key));
  }

  async exists(key: string): Promise<boolean> {
    return fsp.access(this.localPath(key)).then(() => true, () => false);
  }

  async size(key: string): Promise<number> {
    return (await fsp.stat(this.localPath(key))).size;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.localPath(key), { force: true });
  }

  async deletePrefix(prefix: string): Promise<void> {
    await fsp.rm(this.localPath(prefix), { recursive: true, force: true });
  }
}

let store: ArtifactStore | undefined;

export function artifacts(): ArtifactStore {
  store ??= new LocalArtifactStore(env().DATA_DIR);
  return store;
}
