import { serialize } from "cookie";
import { router, publicProcedure, protectedProcedure } from "../trpc/init.js";
import { registerInput, loginInput } from "../schemas/auth.js";
import * as accounts from "../services/accounts.js";
import { SESSION_COOKIE, signSession } from "../auth/token.js";
import { env } from "../env.js";
import type { Context } from "../trpc/context.js";

async function startSession(ctx: Context, userId: number) {
  const ttl = env().JWT_TTL_HOURS * 3600;
  const token = await signSession(userId, ttl);
  ctx.setCookie?.(
    serialize(SESSION_COOKIE, token, { httpOnly: true, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: ttl }),
  );
  return token;
}

export const authRouter = router({
  register: publicProcedure.input(registerInput).mutation(async ({ ctx, input }) => {
    const user = await accounts.register(input);
    const token = await startSession(ctx, user.id);
    return { user: user.toPublic(), token };
  }),

  login: publicProcedure.input(loginInput).mutation(async ({ ctx, input }) => {
    const user = await accounts.login(input, ctx.ip);
    const token = await startSession(ctx, user.id);
    return { user: user.toPublic(), token };
  }),

  logout: publicProcedure.mutation(({ ctx }) => {
    ctx.setCookie?.(serialize(SESSION_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: ctx.secure, path: "/", maxAge: 0 }));
    return { ok: true };
  }),

  me: protectedProcedure.query(({ ctx }) => ({ user: ctx.user.toPublic(), authMethod: ctx.authMethod })),
});
