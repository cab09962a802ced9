import { serialize } from "cookie";
import { TRPCError } from "@trpc/server";
import { router, authProcedure, publicProcedure, protectedProcedure } from "../trpc/init.js";
import {
  registerInput,
  loginInput,
  changePasswordInput,
  updateProfileInput,
  setLocaleInput,
  deleteAccountInput,
} from "../schemas/auth.js";
import * as accounts from "../services/accounts.js";
import { SESSION_COOKIE, signSession, endSession, endAllSessions } from "../auth/token.js";
import { env } from "../env.js";
import type { Context } from "../trpc/context.js";

/** Starts a session and sends it as an httpOnly cookie only: the token never appears in a response body. */
async function startSession(ctx: Context, userId: number) {
  const ttl = env().JWT_TTL_HOURS * 3600;
  const token = await signSession(userId, ttl);
  ctx.setCookie?.(
    serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: ttl }),
  );
}

function clearCookie(ctx: Context) {
  ctx.setCookie?.(
    serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: 0 }),
  );
}

/** Sends Retry-After with a TOO_MANY_REQUESTS refusal. */
async function withRetryAfter<T>(ctx: Context, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    const s =
      e instanceof TRPCError ? (e.cause as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds : undefined;
    if (s) ctx.setHeader?.("Retry-After", String(s));
    throw e;
  }
}

export const authRouter = router({
  register: authProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await withRetryAfter(ctx, () => accounts.register(input, ctx.ip));
    await startSession(ctx, user.id);
    return { user: user.toPublic() };
  }),

  login: authProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await withRetryAfter(ctx, () => accounts.login(input, ctx.ip));
    await startSession(ctx, user.id);
    return { user: user.toPublic() };
  }),

  /** Ends this browser's session (the token stops working everywhere, not just in this cookie jar). */
  logout: publicProcedure.mutation(async ({ ctx }) => {
    if (ctx.sessionId) await endSession(ctx.sessionId);
    clearCookie(ctx);
    return { ok: true };
  }),

  /** Ends every session of the user, this one included. API keys are untouched (revoke them on the account page). */
  logoutEverywhere: protectedProcedure.mutation(async ({ ctx }) => {
    const ended = await endAllSessions(ctx.user.id);
    clearCookie(ctx);
    return { endedSessions: ended };
  }),

  /** Changes the password; every other session ends, this one goes on. */
  changePassword: protectedProcedure
    .input(changePasswordInput)
    .mutation(({ ctx, input }) =>
      accounts.changePassword(ctx.user.id, input.currentPassword, input.newPassword, ctx.sessionId),
    ),

  /** Changes the display name. */
  updateProfile: protectedProcedure
    .input(updateProfileInput)
    .mutation(({ ctx, input }) => accounts.updateDisplayName(ctx.user.id, input.displayName)),

  /** Stores the user's language: every page and export then speaks it, on any browser. */
  setLocale: protectedProcedure
    .input(setLocaleInput)
    .mutation(({ ctx, input }) => accounts.setLocale(ctx.user.id, input.locale)),

  /** Deletes the account, its rows and its stored files; the session cookie is cleared. */
  deleteAccount: protectedProcedure.input(deleteAccountInput).mutation(async ({ ctx, input }) => {
    const r = await accounts.deleteAccount(ctx.user.id, input.confirmEmail, input.password);
    clearCookie(ctx);
    return r;
  }),

  me: protectedProcedure.query(({ ctx }) => ({ user: ctx.user.toPublic(), authMethod: ctx.authMethod })),
});
