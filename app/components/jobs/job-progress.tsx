import { Group, Progress, Text } from "@mantine/core";
import type { OverallStatus } from "../../../jobs/states";
import { useTranslation } from "react-i18next";

/** A progress counter (done of total), e.g. epochs; striped while running. */
export function JobProgress({
  done,
  total,
  status,
  label,
}: {
  done: number;
  total: number;
  status?: OverallStatus | null;
  label?: string;
}) {
  const { t } = useTranslation();
  const pct = total > 0 ? Math.min(100, (100 * done) / total) : 0;
  const color =
    status === "FAILED" ? "red" : status === "CANCELED" ? "yellow" : status === "SUCCEEDED" ? "green" : "blue";
  return (
    <div data-testid="job-progress" data-done={done} data-total={total}>
      <Group justify="space-between" mb={4}>
        <Text size="sm">{label ?? t("job.progress")}</Text>
        <Text size="sm" c="dimmed">
          {done} / {total}
        </Text>
      </Group>
      <Progress value={pct} color={color} striped={status === "RUNNING"} animated={status === "RUNNING"} />
    </div>
  );
}
