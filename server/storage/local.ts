/** The default artifact-store backend: a folder (DATA_DIR), files written to a temporary name and renamed. */
import fs from "node:fs";
import fsp from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import type { Readable } from "node:stream";
import { assertKey } from "./keys.js";
import type { ArtifactStore } from "./store.js";

const TMP_MARK = ".tmp-";

export class LocalArtifactStore implements ArtifactStore {
  readonly description: string;

  constructor(private readonly root: string) {
    this.root = path.resolve(root);
    this.description = `local ${this.root}`;
  }

  /** The file behind a key (local backend only: other code goes through withLocalFile). */
  localPath(key: string): string {
    const full = path.resolve(this.root, assertKey(key));
    if (!full.startsWith(this.root + path.sep)) throw new Error(`artifact key escapes the store: ${key}`);
    return full;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    const full = this.localPath(key);
    await fsp.mkdir(path.dirname(full), { recursive: true });
    const tmp = `${full}${TMP_MARK}${process.pid}-${crypto.randomBytes(4).toString("hex")}`;
    try {
      await fsp.writeFile(tmp, data);
      await fsp.rename(tmp, full);
    } catch (e) {
      await fsp.rm(tmp, { force: true });
      throw e;
    }
  }

  async get(key: string): Promise<Buffer> {
    return fsp.readFile(this.localPath(key));
  }

  async stream(key: string): Promise<Readable> {
    const s = fs.createReadStream(this.localPath(key));
    return new Promise((resolve, reject) => {
      s.once("open", () => resolve(s));
      s.once("error", reject);
    });
  }

  async exists(key: string): Promise<boolean> {
    return fsp.stat(this.localPath(key)).then(
      (s) => s.isFile(),
      () => false,
    );
  }

  async size(key: string): Promise<number> {
    return (await fsp.stat(this.localPath(key))).size;
  }

  async delete(key: string): Promise<void> {
    await fsp.rm(this.localPath(key), { force: true });
  }

  async list(prefix: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, key: string): Promise<void> => {
      const entries = await fsp.readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
        if (e.code === "ENOENT" || e.code === "ENOTDIR") return [];
        throw e;
      });
      for (const e of entries) {
        if (e.isDirectory()) await walk(path.join(dir, e.name), `${key}/${e.name}`);
        else if (e.isFile() && !e.name.includes(TMP_MARK)) keys.push(`${key}/${e.name}`);
      }
    };
    await walk(this.localPath(prefix), assertKey(prefix));
    return keys.sort();
  }

  async listSized(prefix: string): Promise<{ key: string; size: number }[]> {
    // A file removed between the listing and its stat is left out, as a later listing would.
    const sized = await Promise.all(
      (await this.list(prefix)).map((key) =>
        this.size(key).then(
          (size) => ({ key, size }),
          () => null,
        ),
      ),
    );
    return sized.filter((f): f is { key: string; size: number } => f !== null);
  }

  async deletePrefix(prefix: string): Promise<void> {
    await fsp.rm(this.localPath(prefix), { recursive: true, force: true });
  }

  async move(from: string, to: string): Promise<void> {
    const dest = this.localPath(to);
    await fsp.mkdir(path.dirname(dest), { recursive: true });
    await fsp.rename(this.localPath(from), dest);
    await this.pruneEmpty(path.dirname(this.localPath(from)));
  }

  async withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    return fn(this.localPath(key));
  }

  /** Removes empty folders from `dir` up to (not including) the root (after a move: the old layout's folders). */
  private async pruneEmpty(dir: string): Promise<void> {
    while (dir.startsWith(this.root + path.sep)) {
      try {
        await fsp.rmdir(dir);
      } catch {
        return;
      }
      dir = path.dirname(dir);
    }
  }
}
