import type { MetaArgs, MetaDescriptor } from "@remix-run/node";
import { isLocale, FALLBACK_LOCALE } from "../../server/i18n/locales";
import { translateKey } from "../../server/i18n/translate";

/** The page's locale as the root loader found it (meta functions cannot use hooks). */
export function metaLocale(args: Pick<MetaArgs, "matches">) {
  const data = args.matches.find((m) => m.id === "root")?.data as { locale?: string } | undefined;
  return isLocale(data?.locale) ? data.locale : FALLBACK_LOCALE;
}

/** `[{ title: "<page> · VoltLab" }]` with the page's name from the catalogs, in the page's language. */
export function pageTitle(args: Pick<MetaArgs, "matches">, key: string, params?: Record<string, unknown>) {
  return [{ title: `${translateKey(metaLocale(args), key, params)} · VoltLab` }] satisfies MetaDescriptor[];
}
