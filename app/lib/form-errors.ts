import type { ZodIssue, ZodTypeAny } from "zod";
import i18next from "i18next";
import { makeZodI18nMap } from "zod-i18n-map";
import { TRPCClientError } from "@trpc/client";
import { isMessageKey } from "../../server/i18n/translate";

type Params = Record<string, unknown>;
const t = (key: string, params?: Params) =>
  String((i18next.t as unknown as (k: string, o: Params) => string)(key, params ?? {}));

/**
 * One validation issue in the active language: a schema's own message is a catalog key
 * (`auth:errors.emailRequired`, with the issue's limits as parameters); zod's built-in issues
 * (too short, not a number …) are rendered from their code by zod-i18n-map.
 */
export function issueMessage(issue: ZodIssue): string {
  if (isMessageKey(issue.message)) return t(issue.message, issue as unknown as Params);
  const zodMap = makeZodI18nMap({ t: i18next.t as never });
  return zodMap(issue as never, { defaultError: issue.message, data: undefined }).message;
}

/** A Mantine `validate` function from a zod schema: one message per field, in the user's language. */
export function zodValidate<T>(schema: ZodTypeAny) {
  return (values: T): Record<string, string> => {
    const r = schema.safeParse(values);
    if (r.success) return {};
    const out: Record<string, string> = {};
    for (const issue of r.error.issues) {
      const key = issue.path.join(".");
      if (!(key in out)) out[key] = issueMessage(issue);
    }
    return out;
  };
}

type ErrorData = {
  zodIssues?: ZodIssue[] | null;
  zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null;
  field?: string | null;
  i18n?: { key: string; params?: Params } | null;
};

/** A server error's message in the user's language: its catalog key when it has one, else its text. */
export function errorMessage(e: unknown): string {
  if (e instanceof TRPCClientError) {
    const data = e.data as ErrorData | undefined;
    if (data?.i18n?.key) return t(data.i18n.key, data.i18n.params);
    if (data?.zodIssues?.length) return data.zodIssues.map(issueMessage).join("; ");
    return e.message;
  }
  return e instanceof Error ? e.message : String(e);
}

/** Field errors from a tRPC error (zod issues, or a single named field), plus the overall message. */
export function serverFieldErrors(e: unknown): { fields: Record<string, string>; message: string } {
  const fields: Record<string, string> = {};
  if (e instanceof TRPCClientError) {
    const data = e.data as ErrorData | undefined;
    for (const issue of data?.zodIssues ?? []) {
      const k = issue.path.join(".");
      if (!(k in fields)) fields[k] = issueMessage(issue);
    }
    if (data?.field) fields[data.field] = errorMessage(e);
    return { fields, message: Object.keys(fields).length ? t("common:error.correctFields") : errorMessage(e) };
  }
  return { fields, message: errorMessage(e) };
}
