import type { ZodTypeAny } from "zod";
import { TRPCClientError } from "@trpc/client";

/** A Mantine `validate` function from a zod schema: one message per field. */
export function zodValidate<T>(schema: ZodTypeAny) {
  return (values: T): Record<string, string> => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    const out: Record<string, string> = {};
    for (const issue of r.error.issues) {
      const key = issue.path.join(".");
      if (!(key in out)) out[key] = issue.message;
    }
    return out;
  };
}

type ErrorData = { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null; field?: string | null };

/** Field errors from a tRPC error (zod errors, or a single named field), plus the overall message. */
export function serverFieldErrors(e: unknown): { fields: Record<string, string>; message: string } {
  const fields: Record<string, string> = {};
  if (e instanceof TRPCClientError) {
    const data = e.data as ErrorData | undefined;
    for (const [k, v] of Object.entries(data?.zodError?.fieldErrors ?? {})) if (v?.[0]) fields[k] = v[0];
    if (data?.field) fields[data.field] = e.message;
    return { fields, message: Object.keys(fields).length ? "Please correct the highlighted fields" : e.message };
  }
  return { fields, message: e instanceof Error ? e.message : String(e) };
}
