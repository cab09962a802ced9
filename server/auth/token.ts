import crypto from "node:crypto";
import { SignJWT, jwtVerify, errors as joseErrors } from "jose";
import { env } from "../env.js";
import { db } from "../../db/db.js";
import { credentialsRevoked } from "./revocations.js";

export const SESSION_COOKIE = "voltlab_session";
const ISSUER = "voltlab";
const AUDIENCE = "voltlab-web";

function key(): Uint8Array {
  return new TextEncoder().encode(env().JWT_SECRET);
}

/**
 * Starts a session: a `sessions` row (so it can be ended before it expires) and a JWT naming it
 * (jti). The token goes to the browser only as an httpOnly cookie.
 */
export async function signSession(userId: number, ttlSeconds = env().JWT_TTL_HOURS * 3600): Promise<string> {
  const id = crypto.randomBytes(24).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + ttlSeconds;
  await db()("sessions").insert({ id, userId, expiresAt: new Date(exp * 1000) });
  return new SignJWT({})
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(String(userId))
    .setJti(id)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(exp)
    .sign(key());
}

export type VerifyResult =
  { ok: true; userId: number; sessionId: string } | { ok: false; reason: "expired" | "invalid" | "ended" };

/** Verifies signature, issuer, audience, expiry and that the session has not been ended. Never throws. */
export async function verifySession(token: string): Promise<VerifyResult> {
  let userId: number;
  let sessionId: string;
  try {
    const { payload } = await jwtVerify(token, key(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ["HS256"] });
    userId = Number(payload.sub);
    sessionId = String(payload.jti ?? "");
    if (!Number.isSafeInteger(userId) || userId <= 0 || !sessionId) return { ok: false, reason: "invalid" };
  } catch (e) {
    return { ok: false, reason: e instanceof joseErrors.JWTExpired ? "expired" : "invalid" };
  }
  const row = await db()("sessions").where({ id: sessionId, userId }).first("revokedAt");
  if (!row) return { ok: false, reason: "invalid" };
  if (row.revokedAt) return { ok: false, reason: "ended" };
  return { ok: true, userId, sessionId };
}

/** Ends one session (logout). */
export async function endSession(sessionId: string): Promise<void> {
  await db()("sessions").where({ id: sessionId }).whereNull("revokedAt").update({ revokedAt: new Date() });
  credentialsRevoked();
}

/** Ends every session of a user except `keep` (sign out everywhere; password change). Returns how many ended. */
export async function endAllSessions(userId: number, keep?: string): Promise<number> {
  const q = db()("sessions").where({ userId }).whereNull("revokedAt").where("expiresAt", ">", new Date());
  if (keep) q.whereNot({ id: keep });
  const n = await q.update({ revokedAt: new Date() });
  credentialsRevoked();
  return n;
}

/** Drops rows of sessions that expired more than a day ago (called by the maintenance sweep). */
export async function purgeExpiredSessions(): Promise<number> {
  return db()("sessions")
    .where("expiresAt", "<", new Date(Date.now() - 86_400_000))
    .delete();
}
