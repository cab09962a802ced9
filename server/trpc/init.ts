import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import { ZodError } from "zod";
import type { Context } from "./context.js";
import { mapError, type MessageRef } from "./errors.js";
import { english } from "../i18n/translate.js";

const t = initTRPC.context<Context>().create({
  transformer: superjson,
  errorFormatter({ shape, error }) {
    const cause = error.cause as { field?: unknown; i18n?: MessageRef } | undefined;
    return {
      ...shape,
      data: {
        ...shape.data,
        // Never leak stack traces outside development.
        stack: process.env.NODE_ENV === "development" ? shape.data.stack : undefined,
        zodError:
          error.cause instanceof ZodError
            ? error.cause.flatten((i) => english(i.message, i as unknown as Record<string, unknown>))
            : null,
        field: typeof cause?.field === "string" ? cause.field : null,
        // The message as a catalog key and parameters (the browser renders it in the user's language).
        i18n: cause?.i18n?.key ? cause.i18n : null,
        // Zod's issues with their codes and limits, for the same reason.
        zodIssues: error.cause instanceof ZodError ? error.cause.issues : null,
      },
    };
  },
});

/** Zod's own message is a JSON dump: one line that names each field instead (REST says the same). */
export function describeIssues(issues: { path: (string | number)[]; message: string }[]): string {
  const text = (i: { message: string }) => english(i.message, i as unknown as Record<string, unknown>);
  return `Invalid input: ${issues.map((i) => `${i.path.join(".") || "(input)"}: ${text(i)}`).join("; ")}`;
}
const describeZodError = (e: ZodError) => describeIssues(e.issues);

const withErrorMapping = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok) {
    if (result.error.cause instanceof ZodError && result.error.code === "BAD_REQUEST") {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: describeZodError(result.error.cause),
        cause: result.error.cause,
      });
    }
    const mapped = mapError(result.error.cause ?? result.error);
    if (mapped instanceof TRPCError && mapped !== result.error) throw mapped;
  }
  return result;
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;
export const publicProcedure = t.procedure.use(withErrorMapping);
export const protectedProcedure = publicProcedure.use(async ({ ctx, next }) => {
  // Over the WebSocket the context is built once per connection: re-check the credential on every
  // call, so a revoked key or an ended session stops working at once on an open socket.
  const auth = ctx.recheck && ctx.user ? await ctx.recheck() : ctx;
  if (!auth.user || (ctx.user && auth.user.id !== ctx.user.id)) {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: auth.authProblem ? `Not signed in: ${auth.authProblem}` : "Not signed in",
    });
  }
  return next({ ctx: { ...ctx, ...auth, user: auth.user } });
});

/** Sign-in procedures: over HTTP only (they set the cookie) and never in a batch (see app.ts). */
export const authProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.transport === "ws") {
    throw new TRPCError({ code: "BAD_REQUEST", message: "Sign-in procedures are available over HTTP only" });
  }
  return next();
});
