/**
 * How a REST operation becomes a procedure of the REST router: the procedure's own input schema
 * (a deep copy, see router.ts), authentication before validation, the JSON body as sent, refusals
 * naming the field the script sent, and the declared answer and error statuses.
 */
import { initTRPC, TRPCError } from "@trpc/server";
import { z, ZodType, type ZodTypeAny } from "zod";
import type { OpenApiMeta } from "trpc-to-openapi";
import { appRouter, createCaller } from "../routers/root.js";
import type { Context } from "../trpc/context.js";
import { describeIssues } from "../trpc/init.js";
import type { RestOperation } from "./operation.js";

const t = initTRPC
  .context<Context>()
  .meta<OpenApiMeta>()
  .create({
    // As the app router's formatter: no stack traces outside development; the field a fieldError names.
    errorFormatter({ shape, error }) {
      const cause = error.cause as { field?: unknown } | undefined;
      return {
        ...shape,
        data: {
          ...shape.data,
          stack: process.env.NODE_ENV === "development" ? shape.data.stack : undefined,
          field: typeof cause?.field === "string" ? cause.field : null,
        },
      };
    },
  });

/**
 * Authentication runs before input validation: no key is 401 whatever the body. REST is for
 * scripts: only the Authorization header counts (an API key, or a session JWT as a bearer
 * token); the browser's session cookie alone is refused, so no other site can ride on it.
 */
const restProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user || ctx.authMethod === "cookie") {
    throw new TRPCError({
      code: "UNAUTHORIZED",
      message: ctx.authProblem ? `Not signed in: ${ctx.authProblem}` : "Send an API key: Authorization: Bearer <key>",
    });
  }
  return next({ ctx });
});

const ID_CODES = [400, 401, 404, 500];
const LIST_CODES = [400, 401, 500];

/** A deep copy of a zod schema (new instances all the way down), so coercion stays on the copy. */
export function cloneZod<T extends ZodTypeAny>(schema: T, seen = new Map<ZodTypeAny, ZodTypeAny>()): T {
  const hit = seen.get(schema);
  if (hit) return hit as T;
  const def: Record<string, unknown> = { ...(schema as any)._def };
  const Ctor = (schema as any).constructor as new (d: unknown) => T;
  const copy = new Ctor(def);
  seen.set(schema, copy);
  for (const [k, v] of Object.entries(def)) {
    if (v instanceof ZodType) def[k] = cloneZod(v as ZodTypeAny, seen);
    else if (Array.isArray(v) && v.some((x) => x instanceof ZodType))
      def[k] = v.map((x) => (x instanceof ZodType ? cloneZod(x, seen) : x));
    else if (k === "shape" && typeof v === "function") {
      const shape = Object.fromEntries(
        Object.entries((v as () => Record<string, ZodTypeAny>)()).map(([n, s]) => [n, cloneZod(s, seen)]),
      );
      def[k] = () => shape;
    } else if (k === "getter" && typeof v === "function") {
      let c: ZodTypeAny | undefined;
      def[k] = () => (c ??= cloneZod((v as () => ZodTypeAny)(), seen));
    }
  }
  return copy;
}

function procedureInput(path: string): ZodTypeAny {
  const proc = (appRouter._def.procedures as Record<string, any>)[path];
  if (!proc) throw new Error(`REST: no procedure ${path}`);
  const inputs = proc._def.inputs as ZodTypeAny[];
  if (inputs.length === 0) return z.void();
  if (inputs.length > 1) throw new Error(`REST: ${path} has several input parsers`);
  return cloneZod(inputs[0]);
}

/**
 * The adapter coerces strings to numbers and booleans for every operation (needed for query
 * strings and path parameters); a JSON body must not be: its fields go to the procedure as sent,
 * so `"epochs": "5"` is refused as over tRPC. Path parameters keep their coerced values.
 */
function uncoerced(op: RestOperation, ctx: Context, input: unknown): unknown {
  const body = ctx.restBody;
  if (
    op.method === "GET" ||
    !body ||
    typeof body !== "object" ||
    Array.isArray(body) ||
    !input ||
    typeof input !== "object"
  )
    return input;
  const pathKeys = new Set([...op.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]));
  const raw = Object.fromEntries(Object.entries(body).filter(([k]) => !pathKeys.has(k)));
  return { ...input, ...raw };
}

/** A refusal naming a field, renamed by `rename`; anything else as it was. */
function withField(e: unknown, rename: (field: string) => string): unknown {
  const cause = e instanceof TRPCError ? (e.cause as ({ field?: unknown } & Error) | undefined) : undefined;
  if (!(e instanceof TRPCError) || typeof cause?.field !== "string") return e;
  const field = rename(cause.field);
  return new TRPCError({
    code: e.code,
    message: e.message,
    cause: Object.assign(new Error(e.message), cause, { field }),
  });
}

function buildProcedure(op: RestOperation) {
  const input = op.input ? cloneZod(op.input) : procedureInput(op.procedure);
  const hasId = /\{/.test(op.path);
  const meta: OpenApiMeta = {
    openapi: {
      method: op.method,
      path: op.path,
      summary: op.summary,
      tags: [op.tag],
      protect: true,
      errorResponses: [...new Set([...(hasId ? ID_CODES : LIST_CODES), ...(op.errors ?? [])])].sort(),
    },
  };
  const resolve = async ({ ctx, input }: { ctx: Context; input: unknown }) => {
    const caller = createCaller(ctx) as unknown as Record<string, any>;
    const fn = op.procedure.split(".").reduce((acc, k) => acc[k], caller) as unknown as (
      i: unknown,
    ) => Promise<unknown>;
    let raw = uncoerced(op, ctx, input);
    if (op.input) {
      // The adapter validated a coerced copy; what the mapping reads is the body as sent.
      const parsed = op.input.safeParse(raw);
      if (!parsed.success)
        throw new TRPCError({ code: "BAD_REQUEST", message: describeIssues(parsed.error.issues), cause: parsed.error });
      raw = parsed.data;
    }
    try {
      return await fn(op.toProcedure ? await op.toProcedure(raw, { userId: ctx.user!.id, caller }) : raw);
    } catch (e) {
      throw op.renameField ? withField(e, (f) => op.renameField!(f, raw)) : e;
    }
  };
  const base = restProcedure.meta(meta).input(input).output(op.output);
  return op.method === "GET" ? base.query(resolve) : base.mutation(resolve);
}

/** The object under refinements and defaults (what the adapter maps to parameters and bodies). */
function restShape(schema: ZodTypeAny): ZodTypeAny {
  const def = (schema as any)._def;
  if (def.typeName === "ZodEffects") return restShape(def.schema);
  if (def.typeName === "ZodDefault" || def.typeName === "ZodOptional") return restShape(def.innerType);
  return schema;
}

/**
 * A procedure whose input stopped being an object (e.g. became a union) is left out with a
 * warning rather than stopping the web server; server/openapi/openapi.test.ts then fails.
 */
function usable(op: RestOperation): boolean {
  const kind = (restShape(op.input ?? procedureInput(op.procedure)) as any)._def.typeName;
  if (kind === "ZodObject" || kind === "ZodVoid") return true;
  console.warn(`[openapi] ${op.method} ${op.path} left out: the input of ${op.procedure} is a ${kind}, not an object`);
  return false;
}

function nest(ops: RestOperation[]) {
  const record: Record<string, any> = {};
  for (const op of ops.filter(usable)) {
    const keys = op.procedure.split(".");
    let at = record;
    for (const k of keys.slice(0, -1)) at = at[k] ??= {};
    at[keys[keys.length - 1]] = buildProcedure(op);
  }
  return record;
}

/** The REST router of `ops`: one procedure per usable operation, nested by the procedure's path. */
export function buildRestRouter(ops: RestOperation[]) {
  return t.router(nest(ops));
}
