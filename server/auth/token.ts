import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { env } from "../env.js";

export const SESSION_COOKIE = "voltlab_session";
const ISSUER = "voltlab";
const AUDIENCE = "voltlab-web";

function key(): Uint8Array {
  return new TextEncoder().encode(env().JWT_SECRET);
}

export async function signSession(userId: number, ttlSeconds = env().JWT_TTL_HOURS * 3600): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(userId))
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + ttlSeconds)
    .sign(key());
}

export type VerifyResult = { ok: true; userId: number } | { ok: false; reason: "expired" | "invalid" };

/** Verifies signature, issuer, audience and expiry. Never throws. */
export async function verifySession(token: string): Promise<VerifyResult> {
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    const userId = Number(payload.sub);
    if (!Number.isSafeInteger(userId) || userId <= 0) return { ok: false, reason: "invalid" };
    return { ok: true, userId };
  } catch (e) {
    return { ok: false, reason: e instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
}
