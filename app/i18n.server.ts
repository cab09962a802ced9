import { RemixI18Next } from "remix-i18next/server";
import { FALLBACK_LOCALE, LOCALES, isLocale, localeOfCookieHeader, type Locale } from "../server/i18n/locales";
import { i18nConfig } from "../server/i18n/config";

/**
 * The request's language, for the server render: the signed-in user's stored preference, else
 * the language cookie the header's switch sets, else the browser's Accept-Language (matched
 * loosely: `zh-TW` and `zh` speak zh-CN), else English.
 */
const detector = new RemixI18Next({
  detection: {
    supportedLanguages: [...LOCALES],
    fallbackLanguage: FALLBACK_LOCALE,
    order: ["custom", "header"],
    findLocale: async (request) => localeOfCookieHeader(request.headers.get("cookie")),
  },
  i18next: i18nConfig,
});

export async function localeOf(request: Request, user?: { locale?: string | null } | null): Promise<Locale> {
  if (isLocale(user?.locale)) return user.locale;
  const found = await detector.getLocale(request);
  return isLocale(found) ? found : FALLBACK_LOCALE;
}
