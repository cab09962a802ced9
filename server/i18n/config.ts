import type { InitOptions } from "i18next";
import { FALLBACK_LOCALE, LOCALES } from "./locales.js";
import { NAMESPACES, resources } from "./catalogs/index.js";

/**
 * One i18next configuration for the server render, the browser and server-side text (exports,
 * English error messages). The catalogs are bundled, so every namespace is there at once: the
 * server renders the user's language and the browser hydrates the same text, with no flash.
 */
export const i18nConfig = {
  supportedLngs: [...LOCALES],
  fallbackLng: FALLBACK_LOCALE,
  defaultNS: "common",
  ns: [...NAMESPACES, "zod"] as string[],
  resources,
  interpolation: { escapeValue: false },
  returnNull: false,
  initImmediate: false,
} satisfies InitOptions;
