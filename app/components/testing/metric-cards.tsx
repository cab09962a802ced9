import { Card, SimpleGrid, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CellMetrics, TestTarget } from "../../../server/schemas/testing";
import { fmtMetric, METRIC_LABELS, SHOWN_METRICS } from "./format";

/** RMSPE, MSE, RMSE and R² per target (overall, every sample). */
export function MetricCards({ overall, targets }: { overall: CellMetrics; targets: TestTarget[] }) {
  const { t: tr } = useTranslation(["testing", "training"]);
  return (
    <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="metric-cards">
      {targets.flatMap((t) =>
        SHOWN_METRICS.map((m) => (
          <Card key={`${t}-${m}`} withBorder padding="sm" data-testid={`metric-${t}-${m}`}>
            <Text size="xs" c="dimmed">
              {tr(`training:targets.${t}`)} · {METRIC_LABELS[m]}
              {m === "rmspe" ? (t === "pcl" ? tr("metrics.onSoh") : tr("metrics.yAtLeast1")) : ""}
            </Text>
            <Text fw={700} size="lg">
              {fmtMetric(m, overall[t]?.[m], t)}
            </Text>
            {m === "rmspe" && t === "rul" && overall.rul?.rmspeExcluded ? (
              <Text size="xs" c="dimmed">
                {tr("metrics.excluded", { count: overall.rul.rmspeExcluded })}
              </Text>
            ) : null}
          </Card>
        )),
      )}
    </SimpleGrid>
  );
}
