import { TRPCError } from "@trpc/server";
import { User } from "../../db/models/user.js";
import { ApiKey } from "../../db/models/api-key.js";
import { hashPassword, verifyPassword } from "../auth/password.js";
import { generateApiKey, hashApiKey, looksLikeApiKey } from "../auth/api-key-crypto.js";
import { RateLimiter } from "../auth/rate-limit.js";
import { env } from "../env.js";

let limiter: RateLimiter | undefined;
function loginLimiter(): RateLimiter {
  limiter ??= new RateLimiter(env().LOGIN_MAX_ATTEMPTS, env().LOGIN_WINDOW_SECONDS * 1000);
  return limiter;
}

// A fixed hash to verify against when the email is unknown, so both paths take as long.
let dummyHash: Promise<string> | undefined;

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export async function register(input: { email: string; password: string; displayName: string }): Promise<User> {
  const email = normaliseEmail(input.email);
  const existing = await User.query().findOne({ email });
  if (existing) {
    throw new TRPCError({ code: "CONFLICT", message: "An account with this email already exists", cause: { field: "email" } });
  }
  return User.query().insertAndFetch({
    email,
    passwordHash: await hashPassword(input.password),
    displayName: input.displayName.trim(),
  });
}

export async function login(input: { email: string; password: string }, ip: string): Promise<User> {
  const email = normaliseEmail(input.email);
  const rl = loginLimiter();
  const wait = Math.max(rl.retryAfter(`email:${email}`), rl.retryAfter(`ip:${ip}`));
  if (wait > 0) {
    throw new TRPCError({
      code: "TOO_MANY_REQUESTS",
      message: `Too many failed login attempts; try again in ${Math.ceil(wait / 1000)} s`,
    });
  }
  const user = await User.query().findOne({ email });
  dummyHash ??= hashPassword("voltlab-timing-equaliser");
  const ok = user ? await verifyPassword(user.passwordHash, input.password) : (await verifyPassword(await dummyHash, input.password), false);
  if (!user || !ok) {
    rl.fail(`email:${email}`);
    rl.fail(`ip:${ip}`);
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Wrong email or password" });
  }
  rl.reset(`email:${email}`);
  return user;
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
  return { id, revoked: true };
}

/** The user a key belongs to, or null for an unknown or revoked key. Records last use. */
export async function userForApiKey(key: string): Promise<User | null> {
  if (!looksLikeApiKey(key)) return null;
  const row = await ApiKey.query().findOne({ keyHash: hashApiKey(key) }).whereNull("revokedAt");
  if (!row) return null;
  await ApiKey.query().patch({ lastUsedAt: new Date() }).where({ id: row.id });
  return (await User.query().findById(row.userId)) ?? null;
}
