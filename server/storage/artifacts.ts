/**
 * The artifact store: every file the platform reads or writes (uploads, model files, exports,
 * detection inputs and points) goes through `artifacts()`, keyed by `artifactKey()` (keys.ts).
 * The backend is chosen by configuration: S3_BUCKET set → an S3-compatible bucket (s3.ts),
 * else the local folder DATA_DIR (local.ts, the default).
 */
import { env } from "../env.js";
import { LocalArtifactStore } from "./local.js";
import { S3ArtifactStore } from "./s3.js";
import type { ArtifactStore } from "./store.js";

export { artifactKey, storedName, ARTIFACT_DOMAINS, type ArtifactDomain } from "./keys.js";
export type { ArtifactStore } from "./store.js";
export { LocalArtifactStore } from "./local.js";
export { S3ArtifactStore, type S3Settings } from "./s3.js";

/** The store the configuration names (a new instance each call; `artifacts()` keeps one). */
export function storeFromEnv(e = env()): ArtifactStore {
  if (!e.S3_BUCKET) return new LocalArtifactStore(e.DATA_DIR);
  return new S3ArtifactStore({
    endpoint: e.S3_ENDPOINT,
    bucket: e.S3_BUCKET,
    region: e.S3_REGION,
    accessKeyId: e.S3_ACCESS_KEY_ID,
    secretAccessKey: e.S3_SECRET_ACCESS_KEY,
    forcePathStyle: e.S3_FORCE_PATH_STYLE,
  });
}

let store: ArtifactStore | undefined;

export function artifacts(): ArtifactStore {
  store ??= storeFromEnv();
  return store;
}
