import { TRPCError } from "@trpc/server";
import { ValidationError, NotFoundError, UniqueViolationError, ForeignKeyViolationError } from "objection";
import { english, isMessageKey } from "../i18n/translate.js";

/** The code and parameters of a message the client renders in the user's language. */
export interface MessageRef {
  key: string;
  params?: Record<string, unknown>;
}

/**
 * A TRPCError whose field the form can highlight (see the error formatter). `message` is either
 * text or a catalog key (`auth:errors.emailTaken`): a key travels to the client as a code with
 * its parameters, and the error's own message is its English text, readable by scripts.
 */
export function fieldError(
  code: TRPCError["code"],
  field: string,
  message: string,
  params?: Record<string, unknown>,
): TRPCError {
  const text = english(message, params);
  const i18n: MessageRef | undefined = isMessageKey(message) ? { key: message, params } : undefined;
  return new TRPCError({ code, message: text, cause: Object.assign(new Error(text), { field, i18n }) });
}

/** A TRPCError with a catalog key and parameters, not tied to one field. */
export function userError(code: TRPCError["code"], key: string, params?: Record<string, unknown>): TRPCError {
  const text = english(key, params);
  return new TRPCError({ code, message: text, cause: Object.assign(new Error(text), { i18n: { key, params } }) });
}

type MysqlError = Error & { code?: string; errno?: number; sqlMessage?: string };

/** Maps database and model errors to tRPC errors in one place; anything else passes through. */
export function mapError(e: unknown): unknown {
  if (e instanceof TRPCError) return e;
  if (e instanceof UniqueViolationError) {
    return fieldError(
      "CONFLICT",
      e.columns?.[0] ?? "id",
      `A record with this ${e.columns?.join(", ") ?? "key"} already exists`,
    );
  }
  if (e instanceof ForeignKeyViolationError) {
    return new TRPCError({ code: "BAD_REQUEST", message: "A referenced record does not exist", cause: e });
  }
  if (e instanceof ValidationError) {
    const field = Object.keys(e.data ?? {})[0];
    return field
      ? fieldError("BAD_REQUEST", field, e.message)
      : new TRPCError({ code: "BAD_REQUEST", message: e.message });
  }
  if (e instanceof NotFoundError) return new TRPCError({ code: "NOT_FOUND", message: e.message });
  const m = e as MysqlError;
  if (m && typeof m === "object" && typeof m.code === "string") {
    if (m.code === "ER_DUP_ENTRY")
      return new TRPCError({ code: "CONFLICT", message: "A record with this key already exists" });
    if (m.code === "ER_DATA_TOO_LONG")
      return new TRPCError({ code: "BAD_REQUEST", message: m.sqlMessage ?? "A value is too long" });
    if (m.code.startsWith("ER_NO_REFERENCED_ROW"))
      return new TRPCError({ code: "BAD_REQUEST", message: "A referenced record does not exist" });
  }
  return e;
}
