import { useTranslation } from "react-i18next";

/** A step or gap length in the active language: `15 min`, `1 h`, `2 d` (15 分钟 …); "—" when unknown. */
export function useDuration() {
  const { t } = useTranslation("energy");
  return (s: number | null | undefined): string =>
    s == null
      ? "—"
      : s % 86_400 === 0
        ? t("duration.d", { n: s / 86_400 })
        : s % 3600 === 0
          ? t("duration.h", { n: s / 3600 })
          : s % 60 === 0
            ? t("duration.min", { n: s / 60 })
            : t("duration.s", { n: s });
}
