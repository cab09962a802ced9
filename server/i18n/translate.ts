import i18next, { type TFunction, type i18n } from "i18next";
import { i18nConfig } from "./config.js";
import type { Locale } from "./locales.js";

const instances = new Map<Locale, i18n>();

/**
 * A translation function for one locale, outside React: export headers, page titles, and the
 * English message every error keeps for scripts. Instances are built once per locale.
 */
export function translator(locale: Locale): TFunction {
  let inst = instances.get(locale);
  if (!inst) {
    inst = i18next.createInstance();
    void inst.init({ ...i18nConfig, lng: locale });
    instances.set(locale, inst);
  }
  return inst.getFixedT(locale);
}

/** A message that is a catalog key (`namespace:path.to.key`) rather than text. */
export function isMessageKey(s: unknown): s is string {
  return typeof s === "string" && /^[a-zA-Z]+:[\w.]+$/.test(s);
}

/** English text of a catalog key (the readable message scripts get); other text as given. */
export function english(message: string, params?: Record<string, unknown>): string {
  return isMessageKey(message) ? translateKey("en", message, params) : message;
}

/** A key known only at run time (an error's code), translated; the key itself when unknown. */
export function translateKey(locale: Locale, key: string, params?: Record<string, unknown>): string {
  const t = translator(locale) as unknown as (k: string, o: Record<string, unknown>) => string;
  return String(t(key, params ?? {}));
}
