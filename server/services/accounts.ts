import { TRPCError } from "@trpc/server";
import { User } from "../../db/models/user.js";
import { ApiKey } from "../../db/models/api-key.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "../auth/api-key-crypto.js";
import { BackoffThrottle, RateLimiter } from "../auth/rate-limit.js";
import { endAllSessions } from "../auth/token.js";
import { credentialsRevoked } from "../auth/revocations.js";
import { env } from "../env.js";
import { artifacts } from "../storage/artifacts.js";
import { userPrefix } from "../storage/keys.js";
import { fieldError, userError } from "../trpc/errors.js";
import { english } from "../i18n/translate.js";

/** First lock after this many attempts is 30 s, then doubling up to LOGIN_WINDOW_SECONDS. */
const LOCK_BASE_MS = 30_000;

let throttles: { pair: BackoffThrottle; ip: BackoffThrottle; register: RateLimiter } | undefined;
function limits() {
  const e = env();
  const cap = e.LOGIN_WINDOW_SECONDS * 1000;
  throttles ??= {
    pair: new BackoffThrottle(e.LOGIN_MAX_ATTEMPTS, LOCK_BASE_MS, cap),
    ip: new BackoffThrottle(e.LOGIN_IP_MAX_ATTEMPTS, LOCK_BASE_MS, cap),
    register: new RateLimiter(e.REGISTER_MAX_PER_HOUR, 3_600_000),
  };
  return throttles;
}

/** TOO_MANY_REQUESTS whose cause carries the seconds to wait (the router sends them as Retry-After). */
function tooMany(waitMs: number, key: "auth:errors.tooManyAccounts" | "auth:errors.tooManyLogins"): TRPCError {
  const retryAfterSeconds = Math.max(1, Math.ceil(waitMs / 1000));
  const params = { seconds: retryAfterSeconds };
  const message = english(key, params);
  return new TRPCError({
    code: "TOO_MANY_REQUESTS",
    message,
    cause: Object.assign(new Error(message), { retryAfterSeconds, i18n: { key, params } }),
  });
}

// A fixed hash to verify against when the email is unknown, so both paths take as long.
let dummyHash: Promise<string> | undefined;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** `ip` is the caller's address (registrations per address per hour); omit it for operator scripts and tests. */
export async function register(
  input: { email: string; password: string; displayName: string },
  ip?: string,
): Promise<User> {
  if (ip !== undefined) {
    const wait = limits().register.take(ip);
    if (wait > 0) throw tooMany(wait, "auth:errors.tooManyAccounts");
  }
  const email = normaliseEmail(input.email);
  // Hash first, whether or not the email is taken, so "already exists" is not a fast answer.
  const passwordHash = await hashPassword(input.password);
  const existing = await User.query().findOne({ email });
  if (existing) {
    throw fieldError("CONFLICT", "email", "auth:errors.emailTaken");
  }
  return User.query().insertAndFetch({ email, passwordHash, displayName: input.displayName.trim() });
}

/**
 * Checks a password. The attempt is counted (per email+address, and per address) before the
 * password is checked; a success clears the email+address count.
 */
export async function login(input: { email: string; password: string }, ip: string): Promise<User> {
  const email = normaliseEmail(input.email);
  const { pair, ip: perIp } = limits();
  const pairKey = `${email}|${ip}`;
  const wait = Math.max(pair.wait(pairKey), perIp.wait(ip));
  if (wait > 0) throw tooMany(wait, "auth:errors.tooManyLogins");
  pair.attempt(pairKey);
  perIp.attempt(ip);
  const user = await User.query().findOne({ email });
  dummyHash ??= hashPassword("voltlab-timing-equaliser");
  const ok = user
    ? await verifyPassword(user.passwordHash, input.password)
    : (await verifyPassword(await dummyHash, input.password), false);
  if (!user || !ok) throw userError("UNAUTHORIZED", "auth:errors.wrongLogin");
  // The address's count is not cleared: signing in to one's own account must not buy more guesses at others.
  pair.succeed(pairKey);
  return user;
}

/** Changes the password (the current one must match) and ends every other session of the user. */
export async function changePassword(userId: number, current: string, next: string, keepSession?: string | null) {
  const user = await User.query().findById(userId);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  if (!(await verifyPassword(user.passwordHash, current))) {
    throw fieldError("BAD_REQUEST", "currentPassword", "auth:errors.currentPasswordWrong");
  }
  await User.query()
    .patch({ passwordHash: await hashPassword(next) })
    .where({ id: userId });
  return { endedSessions: await endAllSessions(userId, keepSession ?? undefined) };
}

export async function updateDisplayName(userId: number, displayName: string) {
  await User.query().patch({ displayName: displayName.trim() }).where({ id: userId });
  const user = await User.query().findById(userId);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  return { user: user.toPublic() };
}

/** Stores the user's language (null: follow the browser). */
export async function setLocale(userId: number, locale: "zh-CN" | "en" | null) {
  await User.query().patch({ locale }).where({ id: userId });
  const user = await User.query().findById(userId);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  return { user: user.toPublic() };
}

/**
 * Deletes the account and everything it owns: the user's row (every user-owned table cascades
 * from users.id, sessions and API keys included) and then every file under the user's folder in
 * the artifact store. Rows go first: should the store fail, what is left is unreferenced files,
 * never rows pointing at missing files. The typed email and the password must both match.
 */
export async function deleteAccount(userId: number, confirmEmail: string, password: string) {
  const user = await User.query().findById(userId);
  if (!user) throw new TRPCError({ code: "NOT_FOUND", message: "User not found" });
  if (normaliseEmail(confirmEmail) !== user.email) {
    throw fieldError("BAD_REQUEST", "confirmEmail", "auth:errors.deleteEmailMismatch");
  }
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw fieldError("BAD_REQUEST", "password", "auth:errors.deletePasswordWrong");
  }
  await endAllSessions(userId);
  await User.query().deleteById(userId);
  credentialsRevoked();
  await artifacts().deletePrefix(userPrefix(userId));
  return { deleted: true };
}

export async function createApiKey(userId: number, name: string) {
  const { key, prefix, hash } = generateApiKey();
  const row = await ApiKey.query().insertAndFetch({ userId, name: name.trim(), prefix, keyHash: hash });
  return { key, apiKey: row.toPublic() };
}

export async function listApiKeys(userId: number) {
  const rows = await ApiKey.query().where({ userId }).orderBy("id", "desc");
  return rows.map((r) => r.toPublic());
}

export async function revokeApiKey(userId: number, id: number) {
  const n = await ApiKey.query().patch({ revokedAt: new Date() }).where({ id, userId }).whereNull("revokedAt");
  if (n === 0) {
    const exists = await ApiKey.query().findOne({ id, userId });
    if (!exists) throw new TRPCError({ code: "NOT_FOUND", message: `API key ${id} not found` });
  }
  credentialsRevoked();
  return { id, revoked: true };
}

/** The user a key belongs to, or null for an unknown or revoked key. Records last use (to the minute). */
export async function userForApiKey(key: string): Promise<User | null> {
  if (!looksLikeApiKey(key)) return null;
  const row = await ApiKey.query()
    .findOne({ keyHash: hashApiKey(key) })
    .whereNull("revokedAt");
  if (!row) return null;
  // Recorded at most once a minute per key, not on every request.
  if (!row.lastUsedAt || Date.now() - new Date(row.lastUsedAt).getTime() > 60_000) {
    await ApiKey.query().patch({ lastUsedAt: new Date() }).where({ id: row.id });
  }
  return (await User.query().findById(row.userId)) ?? null;
}
