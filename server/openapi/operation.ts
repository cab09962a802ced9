/** One REST operation: which app-router procedure it exposes, at which method and path, with which answer. */
import type { AnyProcedure } from "@trpc/server";
import type { z, ZodTypeAny } from "zod";
import type { OpenApiMethod } from "trpc-to-openapi";
import type { AppRouter } from "../routers/root.js";

/** "training.create", "energy.assets.list", …: every procedure path of the app router (a rename fails the type check). */
type Paths<T, P extends string = ""> = {
  [K in keyof T & string]: T[K] extends AnyProcedure ? `${P}${K}` : Paths<T[K], `${P}${K}.`>;
}[keyof T & string];
export type ProcedurePath = Paths<AppRouter["_def"]["record"]>;

export interface RestOperation {
  /** The app router procedure, e.g. "training.create". */
  procedure: ProcedurePath;
  method: OpenApiMethod;
  /** Under /api/v1; `{name}` path parameters are input fields of the procedure. */
  path: `/${string}`;
  summary: string;
  tag: string;
  output: ZodTypeAny;
  /**
   * Replaces the procedure's input schema (e.g. one variant of a union); `toProcedure` maps it back
   * (with the caller, for what the mapping must look up). The raw body is validated against it as sent.
   */
  input?: z.AnyZodObject | z.ZodEffects<z.AnyZodObject>;
  toProcedure?: (input: any, ctx: { userId: number; caller: any }) => unknown;
  /** The field a refusal names, as the REST input calls it (when `input` renames what the procedure reads). */
  renameField?: (field: string, input: any) => string;
  /** Statuses beyond the usual ones (400, 401, 404 with an id, 500), e.g. 409 for cancelling a finished job. */
  errors?: number[];
}
