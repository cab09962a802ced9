import { Badge, Loader } from "@mantine/core";
import type { TaskStatus } from "../../../jobs/states";

const COLORS: Record<TaskStatus, string> = {
  PENDING: "gray",
  RUNNING: "blue",
  SUCCEEDED: "green",
  FAILED: "red",
  CANCELED: "yellow",
};

/** A task's status as a coloured badge (a spinner while it runs). */
export function JobStatusBadge({ status, size = "md" }: { status: TaskStatus | null; size?: "xs" | "sm" | "md" | "lg" }) {
  const s = status ?? "PENDING";
  return (
    <Badge
      color={COLORS[s]}
      size={size}
      variant="light"
      data-testid="job-status"
      data-status={s}
      leftSection={s === "RUNNING" ? <Loader size={10} color="blue" /> : null}
    >
      {s}
    </Badge>
  );
}
