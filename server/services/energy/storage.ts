/**
 * Upload files on disk: DATA_DIR/{userId}/uploads/{uploadId}/{storedName}. The stored name is
 * ours ("energy-{uploadId}.{ext}"), never the user's; the folder may be shared with other
 * labs' uploads of the same id, so only our file is removed and the folder only when empty.
 */
import fs from "node:fs/promises";
import path from "node:path";
import crypto from "node:crypto";
import { env } from "../../env.js";

export function storedNameFor(uploadId: number, format: "csv" | "xlsx"): string {
  return `energy-${uploadId}.${format}`;
}

export function uploadPath(userId: number, uploadId: number, storedName: string): string {
  return path.join(env().DATA_DIR, String(userId), "uploads", String(uploadId), storedName);
}

/** Writes to a temporary name in the same folder, then renames (never a half-written file). */
export async function writeUploadFile(file: string, content: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${crypto.randomBytes(6).toString("hex")}.tmp`;
  try {
    await fs.writeFile(tmp, content);
    await fs.rename(tmp, file);
  } catch (e) {
    await fs.rm(tmp, { force: true });
    throw e;
  }
}

export async function removeUploadFile(file: string): Promise<void> {
  await fs.rm(file, { force: true });
  await fs.rmdir(path.dirname(file)).catch(() => {}); // only if empty
}
