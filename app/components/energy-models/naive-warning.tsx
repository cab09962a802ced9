import { Alert, Badge, Tooltip } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { worseThanNaive, type NaiveVerdict } from "../../../server/services/energy/naive-verdict";

/** The sentence shown beside such a version: both MASEs, three decimals. */
function useNaiveText() {
  const { t } = useTranslation("forecast");
  return (v: NaiveVerdict) => t("naive.text", { mase: v.mase.toFixed(3), naiveMase: v.naiveMase.toFixed(3) });
}

/** A badge beside a version whose held-out MASE is worse than seasonal naive (nothing otherwise). */
export function NaiveBadge({ metrics }: { metrics: unknown }) {
  const { t } = useTranslation("forecast");
  const text = useNaiveText();
  const v = worseThanNaive(metrics);
  if (!v) return null;
  return (
    <Tooltip label={text(v)} multiline w={320}>
      <Badge color="orange" variant="light" size="sm" data-testid="naive-warning-badge">
        {t("naive.badge")}
      </Badge>
    </Tooltip>
  );
}

/** The full warning for one version (forecast page). */
export function NaiveAlert({ metrics }: { metrics: unknown }) {
  const { t } = useTranslation("forecast");
  const text = useNaiveText();
  const v = worseThanNaive(metrics);
  if (!v) return null;
  return (
    <Alert color="orange" title={t("naive.title")} data-testid="naive-warning">
      {text(v)}
    </Alert>
  );
}
