import { Card, Group, Stack, Text } from "@mantine/core";
import { useJobEvents } from "../../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../jobs";

/** Live status of one energy.train job: badge, epoch/round progress, last losses, log. */
export function TrainingStatus({ jobId, title }: { jobId: number; title: string }) {
  const ev = useJobEvents({ jobId });
  const progress = ev.progressByJob[jobId];
  const last = ev.metrics.length ? (ev.metrics[ev.metrics.length - 1].payload as Record<string, number>) : null;
  return (
    <Card withBorder data-testid="energy-training-status" data-status={ev.status ?? ""}>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={600}>{title}</Text>
          <JobStatusBadge status={ev.status} />
        </Group>
        {progress && (
          <JobProgress done={progress.done} total={progress.total} status={ev.status} label="Epochs / rounds" />
        )}
        {last && (
          <Text size="sm" c="dimmed">
            epoch {last.epoch}: train pinball {Number(last.trainLoss).toFixed(4)}, validation{" "}
            {Number(last.valLoss).toFixed(4)} (scaled units)
          </Text>
        )}
        <JobLogPanel events={ev.events} height={140} />
      </Stack>
    </Card>
  );
}
