import { Text } from "@mantine/core";
import { trpc } from "../lib/trpc";

/**
 * The user's own limit next to a form that uses it: "jobs" for forms that queue work (each job
 * one of the queued + running allowance), "uploads" for upload forms (count and storage).
 */
export function QuotaLine({ kind, adds = 1 }: { kind: "jobs" | "uploads"; adds?: number }) {
  const quotas = trpc.quotas.mine.useQuery();
  if (!quotas.data) return null;
  const q = quotas.data;
  return (
    <Text size="sm" c="dimmed" data-testid={`quota-${kind}`}>
      {kind === "jobs"
        ? `Your jobs: ${q.activeJobs.used} of ${q.activeJobs.limit} queued or running; this adds ${adds}.`
        : `Your uploads: ${q.uploads.used} of ${q.uploads.limit}; storage ${q.storageMb.used} of ${q.storageMb.limit} MB (uploads and stored models, exports and results).`}
    </Text>
  );
}
