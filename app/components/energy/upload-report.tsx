import { Alert, Badge, Group, List, SimpleGrid, Card, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../../lib/trpc";
import { formatDateTime } from "../../lib/dates";
import { useFormat } from "../../lib/format";
import { useDuration } from "./duration";
import { useReasons } from "./reasons";

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

/** The report's per-cell reasons (English words stored with the report) and their catalog keys. */
const CELL_REASONS = {
  "empty timestamp": "report.cell.emptyTimestamp",
  "not a recognised timestamp": "report.cell.badTimestamp",
  "not a number": "report.cell.notNumber",
  "NaN or infinite": "report.cell.nanInf",
} as const;

/** What the upload found: frequency, gaps, duplicates, unparsable rows, NaN/inf, order. */
export function UploadReport({ result }: { result: Commit }) {
  const { t } = useTranslation("energy");
  const { n } = useFormat();
  const secs = useDuration();
  const reasonsOf = useReasons();
  const r: Report | null = result.report;
  const cellReason = (x: string) => (x in CELL_REASONS ? t(CELL_REASONS[x as keyof typeof CELL_REASONS]) : x);
  return (
    <div data-testid="energy-upload-report">
      {result.ok ? (
        <Alert color="teal" title={t("report.stored")} data-testid="energy-upload-ok">
          {result.overlapping
            ? t("report.addedOverlap", { points: n(result.pointsAdded), overlapping: n(result.overlapping) })
            : t("report.added", { points: n(result.pointsAdded) })}
        </Alert>
      ) : (
        <Alert color="red" title={t("report.notStored")} data-testid="energy-upload-rejected">
          <List size="sm">
            {reasonsOf(result).map((x) => (
              <List.Item key={x}>{x}</List.Item>
            ))}
          </List>
        </Alert>
      )}
      {r && (
        <>
          <SimpleGrid cols={{ base: 2, md: 4 }} mt="sm">
            <Stat label={t("report.rows")} value={`${n(r.rowCount)} / ${n(r.parsedRows)}`} />
            <Stat label={t("report.inferred")} value={secs(r.inferredFrequencySeconds)} />
            <Stat
              label={t("report.frequency")}
              value={
                <>
                  {secs(r.frequencySeconds)} {r.resampled && <Badge size="xs">{t("report.resampled")}</Badge>}
                </>
              }
            />
            <Stat label={t("report.points")} value={n(r.points)} />
            <Stat label={t("report.gaps")} value={`${n(r.gaps.count)} (${n(r.gaps.missingSteps)})`} />
            <Stat label={t("report.duplicates")} value={n(r.duplicates.count)} />
            <Stat label={t("report.unparsable")} value={`${n(r.unparsable.count)} / ${n(r.nanInf.count)}`} />
            <Stat label={t("report.outOfOrder")} value={`${n(r.nonMonotonic.count)} / ${n(r.filled)}`} />
          </SimpleGrid>
          <Text size="xs" c="dimmed" mt={4} data-testid="energy-upload-range">
            {t("report.timeRange", { from: formatDateTime(r.firstTs), to: formatDateTime(r.lastTs) })}
          </Text>
          {r.gaps.largest && (
            <Text size="sm" mt="xs">
              {t("report.largestGap", {
                from: formatDateTime(r.gaps.largest.from),
                to: formatDateTime(r.gaps.largest.to),
                length: secs(r.gaps.largest.seconds),
              })}
            </Text>
          )}
          {r.unparsable.first.length > 0 && (
            <>
              <Title order={5} mt="sm">
                {t("report.unparsableTitle", { shown: r.unparsable.first.length, count: r.unparsable.count })}
              </Title>
              <Table withTableBorder data-testid="energy-unparsable-table">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("report.row")}</Table.Th>
                    <Table.Th>{t("report.column")}</Table.Th>
                    <Table.Th>{t("report.value")}</Table.Th>
                    <Table.Th>{t("report.reason")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.unparsable.first.map((u, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{u.row}</Table.Td>
                      <Table.Td>{u.column}</Table.Td>
                      <Table.Td>{u.value}</Table.Td>
                      <Table.Td>{cellReason(u.reason)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          {r.duplicates.first.length > 0 && (
            <>
              <Title order={5} mt="sm">
                {t("report.duplicatesTitle")}
              </Title>
              <Table withTableBorder>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t("report.rowDropped")}</Table.Th>
                    <Table.Th>{t("report.rowKept")}</Table.Th>
                    <Table.Th>{t("report.timestamp")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {r.duplicates.first.map((d, i) => (
                    <Table.Tr key={i}>
                      <Table.Td>{d.row}</Table.Td>
                      <Table.Td>{d.firstRow}</Table.Td>
                      <Table.Td>{formatDateTime(d.timestamp)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </>
          )}
          {r.gaps.first.length > 0 && (
            <Group gap="xs" mt="sm">
              <Text size="sm">{t("report.gapsLabel")}</Text>
              {r.gaps.first.map((g, i) => (
                <Badge key={i} variant="light" color="gray">
                  {formatDateTime(g.from)} → {formatDateTime(g.to)}
                </Badge>
              ))}
            </Group>
          )}
        </>
      )}
    </div>
  );
}
