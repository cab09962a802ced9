import { Badge, Loader } from "@mantine/core";
import type { OverallStatus } from "../../../jobs/states";
import { useTranslation } from "react-i18next";

const COLORS: Record<OverallStatus, string> = {
  PENDING: "gray",
  RUNNING: "blue",
  SUCCEEDED: "green",
  FAILED: "red",
  CANCELED: "yellow",
  PARTLY_SUCCEEDED: "lime",
};

/** A task's status as a coloured badge (a spinner while it runs), never cut short. */
export function JobStatusBadge({
  status,
  size = "md",
}: {
  status: OverallStatus | null;
  size?: "xs" | "sm" | "md" | "lg";
}) {
  const { t } = useTranslation();
  const s = status ?? "PENDING";
  return (
    <Badge
      color={COLORS[s]}
      size={size}
      variant="light"
      data-testid="job-status"
      data-status={s}
      leftSection={s === "RUNNING" ? <Loader size={10} color="blue" /> : null}
      style={{ flexShrink: 0, maxWidth: "none", overflow: "visible" }}
      styles={{ label: { overflow: "visible", textOverflow: "clip" } }}
    >
      {t(`status.${s}`)}
    </Badge>
  );
}
