/**
 * Artifact keys: the one place a storage key is built. Every key names its domain, so two
 * domains whose rows have independent ids (battery and energy model versions, battery and
 * energy uploads) never share a folder:
 *   {userId}/{domain}/{ownerId}/{name}
 *   battery-uploads/{uploadId}/source.csv      battery-models/{versionId}/model.onnx
 *   energy-uploads/{uploadId}/energy-3.csv     energy-models/{versionId}/config.json
 *   test-exports/{testJobId}/result.xlsx       detections/{detectionId}/points.json
 * Keys are built only from ids, domains and names we choose; nothing in a key comes from the user.
 */
import crypto from "node:crypto";

export const ARTIFACT_DOMAINS = [
  "battery-uploads",
  "battery-models",
  "test-exports",
  "energy-uploads",
  "energy-models",
  "detections",
] as const;
export type ArtifactDomain = (typeof ARTIFACT_DOMAINS)[number];

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

function assertSegment(s: string | number): string {
  const v = String(s);
  if (!SEGMENT.test(v) || v.includes("..")) throw new Error(`invalid artifact key segment "${v}"`);
  return v;
}

/** A key such as "12/battery-models/34/model.onnx"; without a name, the owner's folder. */
export function artifactKey(userId: number, domain: ArtifactDomain, ownerId: number, name?: string): string {
  if (!ARTIFACT_DOMAINS.includes(domain)) throw new Error(`unknown artifact domain "${domain}"`);
  const parts = [assertSegment(userId), domain, assertSegment(ownerId)];
  if (name !== undefined) parts.push(assertSegment(name));
  return parts.join("/");
}

/** The folder holding every file of one user (all domains): what account deletion removes. */
export function userPrefix(userId: number): string {
  return assertSegment(userId);
}

/** A stored file name that never comes from the user: random, with a safe extension. */
export function storedName(extension: string): string {
  const ext = extension
    .toLowerCase()
    .replace(/[^a-z0-9]/g, "")
    .slice(0, 8);
  return `${crypto.randomBytes(12).toString("hex")}${ext ? `.${ext}` : ""}`;
}

/** Refuses a key that is empty, absolute or climbs out of the store (checked by every backend). */
export function assertKey(key: string): string {
  if (!key || key.startsWith("/") || key.split("/").some((p) => p === "" || p === "." || p === ".."))
    throw new Error(`invalid artifact key "${key}"`);
  return key;
}
