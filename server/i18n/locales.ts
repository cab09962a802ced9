/**
 * The languages the product speaks. The order is the order of the header's switch. A user's
 * language comes from their stored preference, else the `voltlab_lang` cookie (set by the switch,
 * so the login page speaks it too), else the browser's Accept-Language, else English (the
 * detection itself is app/i18n.server.ts).
 */
export const LOCALES = ["zh-CN", "en"] as const;
export type Locale = (typeof LOCALES)[number];
export const FALLBACK_LOCALE: Locale = "en";
export const LOCALE_COOKIE = "voltlab_lang";

export function isLocale(v: unknown): v is Locale {
  return typeof v === "string" && (LOCALES as readonly string[]).includes(v);
}

/** The locale cookie's value in a Cookie header, when it names a supported locale. */
export function localeOfCookieHeader(cookieHeader: string | null | undefined): Locale | null {
  const m = (cookieHeader ?? "").match(new RegExp(`(?:^|;\\s*)${LOCALE_COOKIE}=([^;]+)`));
  const v = m ? decodeURIComponent(m[1]!) : null;
  return isLocale(v) ? v : null;
}

/** The language of an export: the one the asking page shows (sent by the client), else the user's stored one, else English. */
export function exportLocale(user: { locale?: string | null } | null | undefined, asked?: string | null): Locale {
  if (isLocale(asked)) return asked;
  return isLocale(user?.locale) ? user.locale : FALLBACK_LOCALE;
}
