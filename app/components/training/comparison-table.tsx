import { Button, Group, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { bestRuns, cellValue, columnsFor, comparisonCsv, downloadText, formatValue, type Run } from "./comparison";

/** Algorithms × metrics on validation and test data (mean ± std over seeds), best per column highlighted, CSV export. */
export function ComparisonTable({
  runs,
  targets,
  repeats,
  taskName,
}: {
  runs: Run[];
  targets: ("pcl" | "rul")[];
  repeats: number;
  taskName: string;
}) {
  const { t } = useTranslation("training");
  const done = runs.filter((r) => r.result);
  const cols = columnsFor(targets);
  const best = bestRuns(done, cols);
  return (
    <div>
      <Group justify="space-between" mb="xs">
        <Text size="sm" c="dimmed">
          {repeats > 1 ? t("comparison.repeats", { count: repeats }) : ""}
          {t("comparison.help")}
        </Text>
        <Button
          size="xs"
          variant="light"
          data-testid="export-csv"
          disabled={!done.length}
          onClick={() =>
            downloadText(`${taskName.replace(/[^A-Za-z0-9_-]+/g, "_")}-comparison.csv`, comparisonCsv(runs, targets))
          }
        >
          {t("comparison.export")}
        </Button>
      </Group>
      <Table.ScrollContainer minWidth={900}>
        <Table striped withTableBorder withColumnBorders data-testid="comparison-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("comparison.algorithm")}</Table.Th>
              {cols.map((c) => (
                <Table.Th key={c.id} style={{ whiteSpace: "nowrap" }}>
                  {t("comparison.column", {
                    split: t(`comparison.${c.split}`),
                    target: t(`targets.${c.target}`),
                    metric: c.metric.label,
                  })}
                </Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {done.map((r) => (
              <Table.Tr key={r.id} data-testid={`comparison-row-${r.algorithm}`}>
                <Table.Td>{t(`algorithms.${r.algorithm}`)}</Table.Td>
                {cols.map((c) => {
                  const isBest = best[c.id] === r.id && done.length > 1;
                  return (
                    <Table.Td
                      key={c.id}
                      fw={isBest ? 700 : undefined}
                      c={isBest ? "teal.8" : undefined}
                      data-best={isBest ? "true" : undefined}
                      style={{ whiteSpace: "nowrap" }}
                    >
                      {formatValue(cellValue(r, c), c, repeats)}
                    </Table.Td>
                  );
                })}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </div>
  );
}
