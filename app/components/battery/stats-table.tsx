import { Table } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";
import { fmt } from "./palette";

type Analysis = RouterOutputs["battery"]["analysis"];
export type VariableStatsView = Analysis["statistics"][number];

export function StatsTable({ stats }: { stats: VariableStatsView[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped data-testid="stats-table">
        <Table.Thead>
          <Table.Tr>
            {["Variable", "Count", "Missing", "Mean", "Variance", "Std", "Min", "Q1", "Median", "Q3", "Max"].map(
              (h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ),
            )}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {stats.map((s) => (
            <Table.Tr key={s.key}>
              <Table.Td>
                {s.label} {s.unit ? <span style={{ color: "#868e96" }}>({s.unit})</span> : null}
              </Table.Td>
              <Table.Td>{s.count.toLocaleString("en")}</Table.Td>
              <Table.Td>{s.missing.toLocaleString("en")}</Table.Td>
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
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped data-testid="target-correlation-table">
        <Table.Thead>
          <Table.Tr>
            {["Feature", "n", "Pearson RUL", "Spearman RUL", "Pearson PCL", "Spearman PCL"].map((h) => (
              <Table.Th key={h}>{h}</Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.feature}>
              <Table.Td>{r.label}</Table.Td>
              <Table.Td>{r.nRul.toLocaleString("en")}</Table.Td>
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
