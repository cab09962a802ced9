import { useMemo } from "react";
import { useTranslation } from "react-i18next";

/**
 * Numbers in the active language (Intl): `n(12345)` → "12,345"; `n(0.1234, { style: "percent" })`.
 * Moments stay in the one explicit-UTC form of app/lib/dates.ts in both languages: the server and
 * the browser must print them identically, and `2026-12-07 19:40 UTC` reads the same in Chinese.
 */
export function useFormat() {
  const { i18n } = useTranslation();
  const lng = i18n.language;
  return useMemo(() => {
    const n = (v: number | null | undefined, opts?: Intl.NumberFormatOptions) =>
      v == null || !Number.isFinite(v) ? "–" : new Intl.NumberFormat(lng, opts).format(v);
    return { n, lng };
  }, [lng]);
}
