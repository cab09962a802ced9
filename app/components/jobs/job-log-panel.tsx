import { useEffect, useRef } from "react";
import { Code, ScrollArea, Text } from "@mantine/core";
import type { JobStreamEvent } from "../../../server/services/jobs";
import { useTranslation } from "react-i18next";
import type { OverallStatus } from "../../../jobs/states";

const LEVEL_COLOR: Record<string, string | undefined> = { warn: "orange", error: "red", debug: "dimmed" };

/** A live log: one line per `log` event (and, with showStatus, per status change); follows the tail. */
export function JobLogPanel({
  events,
  height = 260,
  showStatus = true,
  jobLabel,
}: {
  events: JobStreamEvent[];
  height?: number;
  showStatus?: boolean;
  /** Prefix per line for group streams, e.g. the algorithm of each job. */
  jobLabel?: (jobId: number) => string;
}) {
  const { t } = useTranslation();
  const viewport = useRef<HTMLDivElement>(null);
  const lines = events.filter((e) => e.type === "log" || (showStatus && e.type === "status"));
  useEffect(() => {
    viewport.current?.scrollTo({ top: viewport.current.scrollHeight });
  }, [lines.length]);
  return (
    <ScrollArea h={height} viewportRef={viewport} data-testid="job-log">
      <Code block>
        {lines.length === 0 ? (
          <Text size="xs" c="dimmed" component="span">
            {t("job.waiting")}
          </Text>
        ) : (
          lines.map((e) => (
            <Text
              key={e.id}
              size="xs"
              ff="monospace"
              c={e.type === "log" ? LEVEL_COLOR[e.payload?.level] : "blue"}
              data-testid="job-log-line"
            >
              {new Date(e.createdAt).toISOString().slice(11, 19)} {jobLabel ? `[${jobLabel(e.jobId)}] ` : ""}
              {e.type === "log"
                ? e.payload?.message
                : `${t("job.statusLine", { status: e.status ? t(`status.${e.status as OverallStatus}`) : "" })}${e.payload?.error ? ` (${e.payload.error})` : ""}`}
            </Text>
          ))
        )}
      </Code>
    </ScrollArea>
  );
}
