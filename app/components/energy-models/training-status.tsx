import { Card, Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useJobEvents } from "../../lib/use-job-events";
import { useFormat } from "../../lib/format";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../jobs";

/** Live status of one energy.train job: badge, epoch/round progress, last losses, log. */
export function TrainingStatus({ jobId, title }: { jobId: number; title: string }) {
  const { t } = useTranslation("forecast");
  const { n } = useFormat();
  const ev = useJobEvents({ jobId });
  const progress = ev.progressByJob[jobId];
  const last = ev.metrics.length ? (ev.metrics[ev.metrics.length - 1].payload as Record<string, number>) : null;
  const loss = (x: number) => n(Number(x), { minimumFractionDigits: 4, maximumFractionDigits: 4 });
  return (
    <Card withBorder data-testid="energy-training-status" data-status={ev.status ?? ""}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <JobStatusBadge status={ev.status} />
        </Group>
        {progress && (
          <JobProgress done={progress.done} total={progress.total} status={ev.status} label={t("training.progress")} />
        )}
        {last && (
          <Text size="sm" c="dimmed">
            {t("training.lastEpoch", {
              epoch: last.epoch,
              train: loss(last.trainLoss),
              validation: loss(last.valLoss),
            })}
          </Text>
        )}
        <JobLogPanel events={ev.events} height={140} />
      </Stack>
    </Card>
  );
}
