/**
 * Why an upload (or a forecast file) is refused: a catalog key with its parameters, which the
 * page shows in the user's language, and its English text for scripts and logs (docs/i18n.md).
 */
import { english } from "../../i18n/translate.js";
import type { MessageRef } from "../../trpc/errors.js";

export type Reason = MessageRef;

export function reason(key: string, params?: Record<string, unknown>): Reason {
  return params ? { key, params } : { key };
}

/** The reasons in English (the `reasons` every result keeps). */
export function reasonTexts(refs: Reason[]): string[] {
  return refs.map((r) => english(r.key, r.params));
}
