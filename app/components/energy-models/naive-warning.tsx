import { Alert, Badge, Tooltip } from "@mantine/core";
import { naiveWarning, worseThanNaive } from "../../../server/services/energy/naive-verdict";

/** A badge beside a version whose held-out MASE is worse than seasonal naive (nothing otherwise). */
export function NaiveBadge({ metrics }: { metrics: unknown }) {
  const v = worseThanNaive(metrics);
  if (!v) return null;
  return (
    <Tooltip label={naiveWarning(v)} multiline w={320}>
      <Badge color="orange" variant="light" size="sm" data-testid="naive-warning-badge">
        worse than naive
      </Badge>
    </Tooltip>
  );
}

/** The full warning for one version (forecast page). */
export function NaiveAlert({ metrics }: { metrics: unknown }) {
  const v = worseThanNaive(metrics);
  if (!v) return null;
  return (
    <Alert color="orange" title="This forecaster is worse than seasonal naive" data-testid="naive-warning">
      {naiveWarning(v)}
    </Alert>
  );
}
