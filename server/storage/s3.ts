/**
 * The S3-compatible artifact-store backend (AWS S3, MinIO, Ceph, R2) on the AWS SDK. A put goes
 * to a staging key first and is then copied server-side to its key, so a failed or cut-off upload
 * never shows under the key, even on servers that store a PUT's body as it arrives (s3rver does);
 * the staging object is removed either way. The bucket is created on first use when missing.
 */
import fs from "node:fs";
import fsp from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import crypto from "node:crypto";
import {
  CopyObjectCommand,
  CreateBucketCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from "@aws-sdk/client-s3";
import { assertKey } from "./keys.js";
import type { ArtifactStore } from "./store.js";

export interface S3Settings {
  endpoint?: string;
  bucket: string;
  region: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  forcePathStyle: boolean;
}

/** Where puts land before they are copied to their key (never a user id, so never under a user's folder). */
const STAGING = "_staging";

function isNotFound(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return (
    err?.name === "NoSuchKey" ||
    err?.name === "NotFound" ||
    err?.name === "NoSuchBucket" ||
    err?.$metadata?.httpStatusCode === 404
  );
}

export class S3ArtifactStore implements ArtifactStore {
  readonly description: string;
  private readonly client: S3Client;
  private readonly bucket: string;
  private ready: Promise<void> | undefined;

  constructor(s: S3Settings) {
    this.bucket = s.bucket;
    this.description = `s3 ${s.bucket}${s.endpoint ? `@${s.endpoint}` : ""}`;
    this.client = new S3Client({
      region: s.region,
      endpoint: s.endpoint,
      forcePathStyle: s.forcePathStyle,
      credentials:
        s.accessKeyId && s.secretAccessKey
          ? { accessKeyId: s.accessKeyId, secretAccessKey: s.secretAccessKey }
          : undefined,
      // Checksums only when the operation requires them (not every S3-compatible server supports the newer defaults).
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    });
  }

  /** Creates the bucket when it is missing (once per process; retried after a failure). */
  private bucketReady(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.client.send(new HeadBucketCommand({ Bucket: this.bucket }));
      } catch (e) {
        if (!isNotFound(e)) throw e;
        await this.client.send(new CreateBucketCommand({ Bucket: this.bucket })).catch((err: { name?: string }) => {
          if (err?.name !== "BucketAlreadyOwnedByYou" && err?.name !== "BucketAlreadyExists") throw err;
        });
      }
    })().catch((e) => {
      this.ready = undefined;
      throw new Error(`S3 bucket "${this.bucket}" is not reachable: ${(e as Error).message}`);
    });
    return this.ready;
  }

  async put(key: string, data: Uint8Array | string): Promise<void> {
    assertKey(key);
    await this.bucketReady();
    const body = typeof data === "string" ? Buffer.from(data) : data;
    const staging = `${STAGING}/${crypto.randomUUID()}`;
    const removeStaging = () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: staging })).catch(() => {});
    try {
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: staging, Body: body, ContentLength: body.length }),
      );
      await this.client.send(
        new CopyObjectCommand({ Bucket: this.bucket, Key: key, CopySource: this.copySource(staging) }),
      );
    } catch (e) {
      // A cut-off upload may still be landing on the server when the client gives up: remove the
      // staging object now and once more a moment later, so no partial object stays behind.
      await removeStaging();
      await new Promise((r) => setTimeout(r, 1000));
      await removeStaging();
      throw e;
    }
    await removeStaging();
  }

  private copySource(key: string): string {
    return `${this.bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
  }

  async get(key: string): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const c of await this.stream(key)) chunks.push(c as Buffer);
    return Buffer.concat(chunks);
  }

  async stream(key: string): Promise<Readable> {
    await this.bucketReady();
    try {
      const r = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
      return r.Body as Readable;
    } catch (e) {
      throw isNotFound(e) ? Object.assign(new Error(`ENOENT: no artifact at "${key}"`), { code: "ENOENT" }) : e;
    }
  }

  async exists(key: string): Promise<boolean> {
    try {
      await this.size(key);
      return true;
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return false;
      throw e;
    }
  }

  async size(key: string): Promise<number> {
    await this.bucketReady();
    try {
      const r = await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
      return r.ContentLength ?? 0;
    } catch (e) {
      throw isNotFound(e) ? Object.assign(new Error(`ENOENT: no artifact at "${key}"`), { code: "ENOENT" }) : e;
    }
  }

  async delete(key: string): Promise<void> {
    await this.bucketReady();
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: assertKey(key) }));
  }

  async list(prefix: string): Promise<string[]> {
    return (await this.listSized(prefix)).map((f) => f.key);
  }

  async listSized(prefix: string): Promise<{ key: string; size: number }[]> {
    await this.bucketReady();
    const files: { key: string; size: number }[] = [];
    let token: string | undefined;
    do {
      const r = await this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix: `${assertKey(prefix)}/`, ContinuationToken: token }),
      );
      for (const o of r.Contents ?? []) if (o.Key) files.push({ key: o.Key, size: o.Size ?? 0 });
      token = r.IsTruncated ? r.NextContinuationToken : undefined;
    } while (token);
    return files.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  /**
   * One DeleteObject per file, a few at a time: folders hold a handful of files, and the batch
   * DeleteObjects call needs a checksum header that not every S3-compatible server accepts.
   */
  async deletePrefix(prefix: string): Promise<void> {
    const keys = await this.list(prefix);
    for (let i = 0; i < keys.length; i += 8) {
      await Promise.all(
        keys.slice(i, i + 8).map((Key) => this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key }))),
      );
    }
  }

  async move(from: string, to: string): Promise<void> {
    await this.bucketReady();
    await this.client.send(
      new CopyObjectCommand({ Bucket: this.bucket, Key: assertKey(to), CopySource: this.copySource(assertKey(from)) }),
    );
    await this.delete(from);
  }

  async withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T> {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), "voltlab-artifact-"));
    try {
      const file = path.join(dir, path.basename(key));
      await pipeline(await this.stream(key), fs.createWriteStream(file));
      return await fn(file);
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  }
}
