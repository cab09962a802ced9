import { SegmentedControl } from "@mantine/core";
import { useRevalidator } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { LOCALES, LOCALE_COOKIE, isLocale } from "../../server/i18n/locales";
import { trpc } from "../lib/trpc";

/**
 * The header's language switch: the page changes language at once; the choice is kept in a
 * cookie (so the sign-in pages speak it) and, for a signed-in user, in their account (so every
 * browser and every export speaks it).
 */
export function LanguageSwitch({ signedIn }: { signedIn: boolean }) {
  const { t, i18n } = useTranslation();
  const revalidator = useRevalidator();
  const store = trpc.auth.setLocale.useMutation({ onSuccess: () => revalidator.revalidate() });
  return (
    <SegmentedControl
      size="xs"
      aria-label={t("language.label")}
      data={LOCALES.map((l) => ({ value: l, label: t(`language.${l}`) }))}
      value={isLocale(i18n.language) ? i18n.language : "en"}
      onChange={(v) => {
        if (!isLocale(v)) return;
        document.cookie = `${LOCALE_COOKIE}=${v}; path=/; max-age=31536000; samesite=lax`;
        document.documentElement.lang = v;
        void i18n.changeLanguage(v);
        if (signedIn) store.mutate({ locale: v });
        else revalidator.revalidate();
      }}
      data-testid="language-switch"
    />
  );
}
