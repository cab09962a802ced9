import { Table } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { fmt } from "./palette";
import { useBatteryLabels } from "./labels";

const STATS = ["variable", "count", "missing", "mean", "variance", "std", "min", "q1", "median", "q3", "max"] as const;
const TARGET_COLUMNS = ["feature", "n", "pearsonRul", "spearmanRul", "pearsonPcl", "spearmanPcl"] as const;

type Analysis = RouterOutputs["battery"]["analysis"];
export type VariableStatsView = Analysis["statistics"][number];

export function StatsTable({ stats }: { stats: VariableStatsView[] }) {
  const { t } = useTranslation("battery");
  const { n } = useFormat();
  const labels = useBatteryLabels();
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped data-testid="stats-table">
        <Table.Thead>
          <Table.Tr>
            {STATS.map((h) => (
              <Table.Th key={h}>{t(`stats.${h}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stats.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Td>
                {labels.variable(s.key, s.label)}{" "}
                {s.unit ? <span style={{ color: "#868e96" }}>({labels.unit(s.unit)})</span> : null}
              </Table.Td>
              <Table.Td>{n(s.count)}</Table.Td>
              <Table.Td>{n(s.missing)}</Table.Td>
              {[s.mean, s.variance, s.std, s.min, s.q1, s.median, s.q3, s.max].map((v, i) => (
                <Table.Td key={i}>{fmt(v)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

export function TargetCorrelationTable({ rows }: { rows: Analysis["correlations"]["withTargets"] }) {
  const { t } = useTranslation("battery");
  const { n } = useFormat();
  const labels = useBatteryLabels();
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped data-testid="target-correlation-table">
        <Table.Thead>
          <Table.Tr>
            {TARGET_COLUMNS.map((h) => (
              <Table.Th key={h}>{t(`stats.${h}`)}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.feature}>
              <Table.Td>{labels.variable(r.feature, r.label)}</Table.Td>
              <Table.Td>{n(r.nRul)}</Table.Td>
              {[r.pearsonRul, r.spearmanRul, r.pearsonPcl, r.spearmanPcl].map((v, i) => (
                <Table.Td key={i}>{fmt(v, 3)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
