/**
 * A real S3-compatible server on loopback for tests and benches: s3rver (the S3 REST API over a
 * temporary folder, path-style, credentials S3RVER/S3RVER). The bucket is NOT created here: the
 * store creates it on first use, as it must against a fresh MinIO or AWS bucket name.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import crypto from "node:crypto";
import S3rver from "s3rver";
import type { S3Settings } from "../storage/artifacts.js";

export interface TestS3 {
  settings: S3Settings;
  /** The same settings as environment variables (S3_ENDPOINT, S3_BUCKET, ...). */
  env: Record<string, string>;
  /** The folder s3rver keeps its objects in. */
  directory: string;
  close(): Promise<void>;
}

export async function startTestS3(): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "voltlab-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  const settings: S3Settings = {
    endpoint: `http://127.0.0.1:${port}`,
    bucket: `voltlab-test-${crypto.randomBytes(4).toString("hex")}`,
    region: "us-east-1",
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    forcePathStyle: true,
  };
  return {
    settings,
    directory,
    env: {
      S3_ENDPOINT: settings.endpoint!,
      S3_BUCKET: settings.bucket,
      S3_REGION: settings.region,
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
      S3_FORCE_PATH_STYLE: "true",
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
