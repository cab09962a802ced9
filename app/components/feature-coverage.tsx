import { Badge, Card, Group, Loader, Spoiler, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";

/**
 * Which cells and cycles have each feature of a dataset (battery.coverage), the cells with a
 * ΔQ₁₀₀₋₁₀ curve, and the raw values flagged as recording faults (kept as recorded, never used
 * for analysis or training).
 */
export function FeatureCoverage({ datasetId }: { datasetId: number }) {
  const cov = trpc.battery.coverage.useQuery({ datasetId });
  if (cov.isLoading) return <Loader size="sm" />;
  if (!cov.data) return <Text c="red">{cov.error?.message ?? "Coverage unavailable"}</Text>;
  const d = cov.data;
  return (
    <Card withBorder padding="md" data-testid="feature-coverage">
      <Title order={4} mb={4}>
        Feature coverage
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        A training task whose features do not cover every cycle of its cells is refused with the cells named, unless you
        choose to train on the covered cycles only. ΔQ₁₀₀₋₁₀ curve (early-life prediction): {d.deltaQ.cells} of{" "}
        {d.features[0]?.cells ?? 0} cells
        {d.deltaQ.missing.length
          ? ` (missing: ${d.deltaQ.missing.slice(0, 10).join(", ")}${d.deltaQ.missing.length > 10 ? ", …" : ""})`
          : ""}
        .
      </Text>
      <Table.ScrollContainer minWidth={1000}>
        <Table striped data-testid="coverage-table">
          <Table.Thead>
            <Table.Tr>
              {[
                "Feature",
                "Cells with values",
                "Cells, every cycle",
                "Cycles with a value",
                "Partly covered cells (their cycles)",
              ].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.features.map((f) => (
              <Table.Tr key={f.key} data-testid={`coverage-${f.key}`}>
                <Table.Td miw={170}>
                  <Text size="sm" fw={500}>
                    {f.label}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {f.key}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  {f.cellsWithValues} / {f.cells}
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  <Badge color={f.cellsComplete === f.cells ? "teal" : "orange"} variant="light">
                    {f.cellsComplete} / {f.cells}
                  </Badge>
                </Table.Td>
                <Table.Td style={{ whiteSpace: "nowrap" }}>
                  {f.covered.toLocaleString("en")} of {f.cycles.toLocaleString("en")} (
                  {((100 * f.covered) / Math.max(1, f.cycles)).toFixed(1)} %)
                </Table.Td>
                <Table.Td maw={560}>
                  {f.partial.length ? (
                    <Spoiler maxHeight={44} showLabel="all cells" hideLabel="fewer">
                      <Text size="xs">{f.partial.map((p) => `${p.cellKey}: ${p.ranges}`).join(" · ")}</Text>
                    </Spoiler>
                  ) : (
                    <Text size="xs" c="dimmed">
                      none
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Title order={5} mt="md" mb={4}>
        Flagged raw values ({d.flagged.length})
      </Title>
      <Text size="xs" c="dimmed" mb={4}>
        Rules: {d.rules.map((r) => `${r.column}: ${r.rule}`).join("; ")}. Kept as recorded in the cycle table; missing
        in analysis and training.
      </Text>
      {d.flagged.length ? (
        <Spoiler maxHeight={120} showLabel="show all" hideLabel="fewer">
          <Table data-testid="flagged-table" withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                {["Cell", "Cycle", "Field", "Value", "Rule"].map((h) => (
                  <Table.Th key={h}>{h}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {d.flagged.map((x) => (
                <Table.Tr key={`${x.cellKey}-${x.cycle}-${x.column}`}>
                  <Table.Td>{x.cellKey}</Table.Td>
                  <Table.Td>{x.cycle}</Table.Td>
                  <Table.Td>{x.column}</Table.Td>
                  <Table.Td>{x.value}</Table.Td>
                  <Table.Td>{x.rule}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Spoiler>
      ) : (
        <Group>
          <Text size="xs" c="dimmed">
            none
          </Text>
        </Group>
      )}
    </Card>
  );
}
