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
  if (!events.length) return <Text c="dimmed" data-testid="anomaly-events-empty">No events: no point left the thresholds.</Text>;
  return (
    <>
      <Table striped data-testid="anomaly-events">
        <Table.Thead>
          <Table.Tr><Table.Th>#</Table.Th><Table.Th>Start (UTC)</Table.Th><Table.Th>End (UTC)</Table.Th><Table.Th>Peak at</Table.Th><Table.Th>Peak score</Table.Th><Table.Th>Flagged points</Table.Th></Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {events.slice(0, max).map((e, i) => (
            <Table.Tr key={e.start} data-testid="anomaly-event-row">
              <Table.Td>{i + 1}</Table.Td><Table.Td>{fmt(e.start)}</Table.Td><Table.Td>{fmt(e.end)}</Table.Td><Table.Td>{fmt(e.peakTs)}</Table.Td><Table.Td>{e.peakScore.toFixed(4)}</Table.Td><Table.Td>{e.points}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {events.length > max && <Text size="xs" c="dimmed">First {max} of {events.length} events; the CSV has all of them.</Text>}
    </>
  );
}
