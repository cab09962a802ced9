import { Table, Text } from "@mantine/core";
import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { fmtMinute as fmt } from "./times";

export interface EventRow {
  start: number;
  end: number;
  peakTs: number;
  peakScore: number;
  points: number;
}

type NumberFormat = ReturnType<typeof useFormat>["n"];

/** Detected events: start, end, peak (time and score), flagged points. */
export function EventsTable({ events, max = 200 }: { events: EventRow[]; max?: number }) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  if (!events.length)
    return (
      <Text c="dimmed" data-testid="anomaly-events-empty">
        {t("events.none")}
      </Text>
    );
  return (
    <>
      <Table striped data-testid="anomaly-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t("events.start")}</Table.Th>
            <Table.Th>{t("events.end")}</Table.Th>
            <Table.Th>{t("events.peakAt")}</Table.Th>
            <Table.Th>{t("events.peakScore")}</Table.Th>
            <Table.Th>{t("events.flaggedPoints")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.slice(0, max).map((e, i) => (
            <Table.Tr key={e.start} data-testid="anomaly-event-row">
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{fmt(e.start)}</Table.Td>
              <Table.Td>{fmt(e.end)}</Table.Td>
              <Table.Td>{fmt(e.peakTs)}</Table.Td>
              <Table.Td>{n(e.peakScore, { minimumFractionDigits: 4, maximumFractionDigits: 4 })}</Table.Td>
              <Table.Td>{n(e.points)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.length > max && (
        <Text size="xs" c="dimmed">
          {t("events.firstEvents", { max: n(max), total: n(events.length) })}
        </Text>
      )}
    </>
  );
}

/** Why a streaming alert fired, in words: its score against the threshold and the tail probability behind it. */
export function alertReason(
  t: TFunction<"anomaly">,
  n: NumberFormat,
  score: number,
  threshold: number,
  shortWindow = 12,
): string {
  const base = t("reason.base", {
    score: n(score, { minimumFractionDigits: 3, maximumFractionDigits: 3 }),
    threshold: n(threshold),
  });
  if (score >= 1) return t("reason.beyond", { base, window: shortWindow });
  return t("reason.chance", {
    base,
    window: shortWindow,
    exp: n(10 * score, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
  });
}

/** A streaming detector's alerts: one row per alert, with its score against the threshold. */
export function StreamingEventsTable({
  events,
  threshold,
  shortWindow,
  max = 200,
}: {
  events: EventRow[];
  threshold: number;
  shortWindow?: number;
  max?: number;
}) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  if (!events.length)
    return (
      <Text c="dimmed" data-testid="anomaly-events-empty">
        {t("events.noAlert", { threshold: n(threshold) })}
      </Text>
    );
  return (
    <>
      <Table striped data-testid="anomaly-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t("events.alertAt")}</Table.Th>
            <Table.Th>{t("events.score")}</Table.Th>
            <Table.Th>{t("events.threshold")}</Table.Th>
            <Table.Th>{t("events.why")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.slice(0, max).map((e, i) => (
            <Table.Tr key={e.start} data-testid="anomaly-event-row">
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{fmt(e.start)}</Table.Td>
              <Table.Td>{n(e.peakScore, { minimumFractionDigits: 3, maximumFractionDigits: 3 })}</Table.Td>
              <Table.Td>{n(threshold)}</Table.Td>
              <Table.Td data-testid="anomaly-event-reason">
                {alertReason(t, n, e.peakScore, threshold, shortWindow)}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.length > max && (
        <Text size="xs" c="dimmed">
          {t("events.firstAlerts", { max: n(max), total: n(events.length) })}
        </Text>
      )}
    </>
  );
}
