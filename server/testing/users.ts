/** Test helpers: real users in the real database, and callers acting as them. */
import crypto from "node:crypto";
import { createCaller } from "../routers/root.js";
import { register, createApiKey } from "../services/accounts.js";
import { signSession } from "../auth/token.js";
import { resolveUser, type Context } from "../trpc/context.js";
import { db } from "../../db/db.js";

export interface TestUser {
  id: number;
  email: string;
  password: string;
  token: string;
  apiKey: string;
  /** A tRPC caller authenticated by the session token (as the cookie path resolves it). */
  caller: ReturnType<typeof createCaller>;
  /** A tRPC caller authenticated by the user's API key. */
  keyCaller: ReturnType<typeof createCaller>;
}

export function uniqueEmail(tag = "user"): string {
  return `${tag}-${crypto.randomBytes(6).toString("hex")}@test.voltlab`;
}

export async function callerFor(authorization?: string, cookie?: string, ip = "127.0.0.1") {
  const auth = await resolveUser(authorization, cookie);
  const ctx: Context = { ...auth, ip, secure: false, setCookie: () => {} };
  return createCaller(ctx);
}

export async function anonymousCaller(ip = "127.0.0.1") {
  return callerFor(undefined, undefined, ip);
}

export async function createTestUser(tag = "user"): Promise<TestUser> {
  db();
  const email = uniqueEmail(tag);
  const password = `pw-${crypto.randomBytes(8).toString("hex")}`;
  const user = await register({ email, password, displayName: tag });
  const token = await signSession(user.id);
  const { key } = await createApiKey(user.id, `${tag}-key`);
  return {
    id: user.id,
    email,
    password,
    token,
    apiKey: key,
    caller: await callerFor(undefined, `voltlab_session=${token}`),
    keyCaller: await callerFor(`Bearer ${key}`),
  };
}
