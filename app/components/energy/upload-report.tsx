import { Alert, Badge, Group, List, SimpleGrid, Card, Table, Text, Title } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";

type Commit = RouterOutputs["energy"]["uploads"]["commit"];
type Report = NonNullable<Commit["report"]>;

function Stat({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <Card withBorder padding="xs">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Card>
  );
}

const secs = (s: number | null) =>
  s === null
    ? "—"
    : s % 86400 === 0
      ? `${s / 86400} d`
      : s % 3600 === 0
        ? `${s / 3600} h`
        : s % 60 === 0
          ? `${s / 60} min`
          : `${s} s`;

/** What the upload found: frequency, gaps, duplicates, unparsable rows, NaN/inf, order. */
export function UploadReport({ result }: { result: Commit }) {
  const r: Report | null = result.report;
  return (
    <div data-testid="energy-upload-report">
      {result.ok ? (
        <Alert color="teal" title="Upload stored" data-testid="energy-upload-ok">
          {result.pointsAdded.toLocaleString("en")} points added
          {result.overlapping ? `, ${result.overlapping} already present (kept as they were)` : ""}.
        </Alert>
      ) : (
        <Alert color="red" title="The file was not stored" data-testid="energy-upload-rejected">
          <List size="sm">
            {result.reasons.map((x) => (
              <List.Item key={x}>{x}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {r && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} mt="sm">
            <Stat
              label="Rows read / with a timestamp"
              value={`${r.rowCount.toLocaleString("en")} / ${r.parsedRows.toLocaleString("en")}`}
            />
            <Stat label="Inferred frequency (median step)" value={secs(r.inferredFrequencySeconds)} />
            <Stat
              label="Stored frequency"
              value={
                <>
                  {secs(r.frequencySeconds)} {r.resampled && <Badge size="xs">resampled</Badge>}
                </>
              }
            />
            <Stat label="Points" value={r.points.toLocaleString("en")} />
            <Stat label="Gaps (missing steps)" value={`${r.gaps.count} (${r.gaps.missingSteps})`} />
            <Stat label="Duplicates dropped" value={r.duplicates.count} />
            <Stat label="Unparsable cells / NaN-inf" value={`${r.unparsable.count} / ${r.nanInf.count}`} />
            <Stat label="Out-of-order rows / filled" value={`${r.nonMonotonic.count} / ${r.filled}`} />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={4}>
            Time range {r.firstTs ?? "—"} → {r.lastTs ?? "—"}; {r.timezone}.
          </Text>
          {r.gaps.largest && (
            <Text size="sm" mt="xs">
              Largest gap: {r.gaps.largest.from} → {r.gaps.largest.to} ({secs(r.gaps.largest.seconds)}).
            </Text>
          )}
          {r.unparsable.first.length > 0 && (
            <>
              <Title order={5} mt="sm">
                Unparsable cells (first {r.unparsable.first.length} of {r.unparsable.count})
              </Title>
              <Table withTableBorder data-testid="energy-unparsable-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Row</Table.Th>
                    <Table.Th>Column</Table.Th>
                    <Table.Th>Value</Table.Th>
                    <Table.Th>Reason</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.unparsable.first.map((u, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{u.row}</Table.Td>
                      <Table.Td>{u.column}</Table.Td>
                      <Table.Td>{u.value}</Table.Td>
                      <Table.Td>{u.reason}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          {r.duplicates.first.length > 0 && (
            <>
              <Title order={5} mt="sm">
                Duplicated timestamps (first row kept)
              </Title>
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Row dropped</Table.Th>
                    <Table.Th>Row kept</Table.Th>
                    <Table.Th>Timestamp</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.duplicates.first.map((d, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{d.row}</Table.Td>
                      <Table.Td>{d.firstRow}</Table.Td>
                      <Table.Td>{d.timestamp}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          {r.gaps.first.length > 0 && (
            <Group gap="xs" mt="sm">
              <Text size="sm">Gaps:</Text>
              {r.gaps.first.map((g, i) => (
                <Badge key={i} variant="light" color="gray">
                  {g.from.slice(0, 16)} → {g.to.slice(0, 16)}
                </Badge>
              ))}
            </Group>
          )}
        </>
      )}
    </div>
  );
}
