import { TRPCError } from "@trpc/server";
import { ValidationError, NotFoundError, UniqueViolationError, ForeignKeyViolationError } from "objection";

/** A TRPCError whose field the form can highlight (see the error formatter). */
export function fieldError(code: TRPCError["code"], field: string, message: string): TRPCError {
  return new TRPCError({ code, message, cause: Object.assign(new Error(message), { field }) });
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
