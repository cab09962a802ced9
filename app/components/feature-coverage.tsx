import { Badge, Card, Group, Loader, Spoiler, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { trpc } from "../lib/trpc";
import { useFormat } from "../lib/format";
import { errorMessage } from "../lib/form-errors";
import { useBatteryLabels } from "./battery/labels";

const COLUMNS = ["feature", "cellsWithValues", "cellsComplete", "cycles", "partial"] as const;
const FLAGGED_COLUMNS = ["cell", "cycle", "field", "value", "rule"] as const;
const RULES = ["ir_ohm", "qcharge_ah", "qdischarge_ah", "charge_time_min"] as const;

/**
 * Which cells and cycles have each feature of a dataset (battery.coverage), the cells with a
 * ΔQ₁₀₀₋₁₀ curve, and the raw values flagged as recording faults (kept as recorded, never used
 * for analysis or training).
 */
export function FeatureCoverage({ datasetId }: { datasetId: number }) {
  const { t } = useTranslation("battery");
  const { n } = useFormat();
  const labels = useBatteryLabels();
  const cov = trpc.battery.coverage.useQuery({ datasetId });
  if (cov.isLoading) return <Loader size="sm" />;
  if (!cov.data) return <Text c="red">{cov.error ? errorMessage(cov.error) : t("coverage.unavailable")}</Text>;
  const d = cov.data;
  const rule = (column: string, text: string) =>
    (RULES as readonly string[]).includes(column) ? t(`coverage.rules.${column as (typeof RULES)[number]}`) : text;
  return (
    <Card withBorder padding="md" data-testid="feature-coverage">
      <Title order={4} mb={4}>
        {t("coverage.title")}
      </Title>
      <Text size="sm" c="dimmed" mb="xs">
        {t("coverage.intro", {
          cells: d.deltaQ.cells,
          total: d.features[0]?.cells ?? 0,
          missing: d.deltaQ.missing.length
            ? t("coverage.missing", {
                list: `${d.deltaQ.missing.slice(0, 10).join(", ")}${d.deltaQ.missing.length > 10 ? ", …" : ""}`,
              })
            : "",
        })}
      </Text>
      <Table.ScrollContainer minWidth={1000}>
        <Table striped data-testid="coverage-table">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((h) => (
                <Table.Th key={h}>{t(`coverage.columns.${h}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.features.map((f) => (
              <Table.Tr key={f.key} data-testid={`coverage-${f.key}`}>
                <Table.Td miw={170}>
                  <Text size="sm" fw={500}>
                    {labels.variable(f.key, f.label)}
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
                  {t("coverage.coveredOf", {
                    covered: n(f.covered),
                    cycles: n(f.cycles),
                    pct: n((100 * f.covered) / Math.max(1, f.cycles), {
                      minimumFractionDigits: 1,
                      maximumFractionDigits: 1,
                    }),
                  })}
                </Table.Td>
                <Table.Td maw={560}>
                  {f.partial.length ? (
                    <Spoiler maxHeight={44} showLabel={t("coverage.allCells")} hideLabel={t("coverage.fewer")}>
                      <Text size="xs">{f.partial.map((p) => `${p.cellKey}: ${p.ranges}`).join(" · ")}</Text>
                    </Spoiler>
                  ) : (
                    <Text size="xs" c="dimmed">
                      {t("none")}
                    </Text>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Title order={5} mt="md" mb={4}>
        {t("coverage.flagged", { count: d.flagged.length })}
      </Title>
      <Text size="xs" c="dimmed" mb={4}>
        {t("coverage.rulesLine", { rules: d.rules.map((r) => `${r.column}: ${rule(r.column, r.rule)}`).join("; ") })}
      </Text>
      {d.flagged.length ? (
        <Spoiler maxHeight={120} showLabel={t("coverage.showAll")} hideLabel={t("coverage.fewer")}>
          <Table data-testid="flagged-table" withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                {FLAGGED_COLUMNS.map((h) => (
                  <Table.Th key={h}>{t(`coverage.flaggedColumns.${h}`)}</Table.Th>
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
                  <Table.Td>{rule(x.column, x.rule)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Spoiler>
      ) : (
        <Group>
          <Text size="xs" c="dimmed">
            {t("none")}
          </Text>
        </Group>
      )}
    </Card>
  );
}
