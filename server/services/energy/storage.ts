/**
 * Energy upload files in the artifact store: {userId}/energy-uploads/{uploadId}/{storedName}.
 * The stored name is ours ("energy-{uploadId}.{ext}"), never the user's.
 */
import { artifactKey, artifacts } from "../../storage/artifacts.js";

export function storedNameFor(uploadId: number, format: "csv" | "xlsx"): string {
  return `energy-${uploadId}.${format}`;
}

/** The upload's key; without a stored name, its folder. */
export function uploadKey(userId: number, uploadId: number, storedName?: string): string {
  return artifactKey(userId, "energy-uploads", uploadId, storedName);
}

/** Atomic (the store never shows a half-written file). */
export async function writeUploadFile(key: string, content: Buffer): Promise<void> {
  await artifacts().put(key, content);
}

export async function removeUploadFiles(userId: number, uploadId: number): Promise<void> {
  await artifacts().deletePrefix(uploadKey(userId, uploadId));
}
