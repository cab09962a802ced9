import { Text } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { useTranslation } from "react-i18next";

/**
 * The user's own limit next to a form that uses it: "jobs" for forms that queue work (each job
 * one of the queued + running allowance), "uploads" for upload forms (count and storage).
 */
export function QuotaLine({ kind, adds = 1 }: { kind: "jobs" | "uploads"; adds?: number }) {
  const { t } = useTranslation();
  const quotas = trpc.quotas.mine.useQuery();
  if (!quotas.data) return null;
  const q = quotas.data;
  return (
    <Text size="sm" c="dimmed" data-testid={`quota-${kind}`}>
      {kind === "jobs"
        ? t("quota.jobs", { used: q.activeJobs.used, limit: q.activeJobs.limit, adds })
        : t("quota.uploads", {
            used: q.uploads.used,
            limit: q.uploads.limit,
            storageUsed: q.storageMb.used,
            storageLimit: q.storageMb.limit,
          })}
    </Text>
  );
}
