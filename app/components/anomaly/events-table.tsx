import { Table, Text } from "@mantine/core";

export interface EventRow {
  start: number;
  end: number;
  peakTs: number;
  peakScore: number;
  points: number;
}

const fmt = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace("T", " ");

/** Detected events: start, end, peak (time and score), flagged points. */
export function EventsTable({ events, max = 200 }: { events: EventRow[]; max?: number }) {
  if (!events.length)
    return (
      <Text c="dimmed" data-testid="anomaly-events-empty">
        No events: no point left the thresholds.
      </Text>
    );
  return (
    <>
      <Table striped data-testid="anomaly-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Start (UTC)</Table.Th>
            <Table.Th>End (UTC)</Table.Th>
            <Table.Th>Peak at</Table.Th>
            <Table.Th>Peak score</Table.Th>
            <Table.Th>Flagged points</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.slice(0, max).map((e, i) => (
            <Table.Tr key={e.start} data-testid="anomaly-event-row">
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{fmt(e.start)}</Table.Td>
              <Table.Td>{fmt(e.end)}</Table.Td>
              <Table.Td>{fmt(e.peakTs)}</Table.Td>
              <Table.Td>{e.peakScore.toFixed(4)}</Table.Td>
              <Table.Td>{e.points}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.length > max && (
        <Text size="xs" c="dimmed">
          First {max} of {events.length} events; the CSV has all of them.
        </Text>
      )}
    </>
  );
}

/** Why a streaming alert fired, in words: its score against the threshold and the tail probability behind it. */
export function alertReason(score: number, threshold: number, shortWindow = 12): string {
  const base = `score ${score.toFixed(3)} ≥ threshold ${threshold}`;
  if (score >= 1)
    return `${base}: far outside the values seen so far, or the last ${shortWindow} points' surprise has a chance below 1 in 10¹⁰`;
  const exp = (10 * score).toFixed(1);
  return `${base}: the last ${shortWindow} points were as surprising as a 1 in 10^${exp} chance under this series' history`;
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
  if (!events.length)
    return (
      <Text c="dimmed" data-testid="anomaly-events-empty">
        No alert: no score reached the threshold {threshold} after probation.
      </Text>
    );
  return (
    <>
      <Table striped data-testid="anomaly-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Alert at (UTC)</Table.Th>
            <Table.Th>Score</Table.Th>
            <Table.Th>Threshold</Table.Th>
            <Table.Th>Why it fired</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.slice(0, max).map((e, i) => (
            <Table.Tr key={e.start} data-testid="anomaly-event-row">
              <Table.Td>{i + 1}</Table.Td>
              <Table.Td>{fmt(e.start)}</Table.Td>
              <Table.Td>{e.peakScore.toFixed(3)}</Table.Td>
              <Table.Td>{threshold}</Table.Td>
              <Table.Td data-testid="anomaly-event-reason">{alertReason(e.peakScore, threshold, shortWindow)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.length > max && (
        <Text size="xs" c="dimmed">
          First {max} of {events.length} alerts; the CSV has all of them.
        </Text>
      )}
    </>
  );
}
