import crypto from "node:crypto";

const KEY_PREFIX = "vl_";

/** A new key: "vl_" + 43 base64url characters (32 random bytes). */
export function generateApiKey(): { key: string; prefix: string; hash: string } {
  const key = KEY_PREFIX + crypto.randomBytes(32).toString("base64url");
  return { key, prefix: key.slice(0, 10), hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return crypto.createHash("sha256").update(key).digest("hex");
}

/** Why a bearer token that is not a session token (a JWT: three dot-separated parts) is no API key either; null when it may be one. */
export function apiKeyFormatProblem(token: string): string | null {
  if (looksLikeApiKey(token) || token.split(".").length === 3) return null;
  return `Invalid API key format: a key is "${KEY_PREFIX}" followed by 43 characters (copy it again from the account page)`;
}

export function looksLikeApiKey(token: string): boolean {
  return token.startsWith(KEY_PREFIX) && token.length === KEY_PREFIX.length + 43;
}
