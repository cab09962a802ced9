/** What every artifact-store backend offers (local folder, S3-compatible bucket). */
import type { Readable } from "node:stream";

export interface ArtifactStore {
  /** Where the files live, for logs and benches ("local /srv/data", "s3 voltlab@http://..."). */
  readonly description: string;
  /** Writes atomically: a partial or failed write is never visible under the key. */
  put(key: string, data: Uint8Array | string): Promise<void>;
  get(key: string): Promise<Buffer>;
  /** The file as a stream, opened before this resolves (a missing key rejects here). */
  stream(key: string): Promise<Readable>;
  exists(key: string): Promise<boolean>;
  size(key: string): Promise<number>;
  delete(key: string): Promise<void>;
  /** Every key under a folder prefix ("12/battery-models/3"), sorted. */
  list(prefix: string): Promise<string[]>;
  /** Every file under a folder prefix with its size in bytes, sorted by key (one listing on S3). */
  listSized(prefix: string): Promise<{ key: string; size: number }[]>;
  /** Removes every file under a folder prefix. */
  deletePrefix(prefix: string): Promise<void>;
  /** Moves one file to another key (replacing what is there). */
  move(from: string, to: string): Promise<void>;
  /**
   * Runs `fn` with a local file path holding the artifact, for libraries that need a path
   * (LibTorch, onnxruntime): the file itself on the local backend, a temporary copy otherwise.
   */
  withLocalFile<T>(key: string, fn: (file: string) => Promise<T>): Promise<T>;
}
