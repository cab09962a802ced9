import { Badge, Table, Text } from "@mantine/core";
import { NaiveBadge } from "./naive-warning";

export interface ComparisonRow {
  id: number | null;
  name: string;
  kind: string;
  lookback?: number;
  horizon?: number;
  mae?: number;
  rmse?: number;
  smape?: number;
  mase?: number;
  coverage?: number;
  trainSeconds: number | null;
  baseline: boolean;
}

const n = (v: number | null | undefined, d = 3) =>
  v === null || v === undefined || !Number.isFinite(v) ? "—" : v.toFixed(d);

/** Trained versions of an asset on the held-out tail, with the seasonal-naive baseline row. */
export function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  if (!rows.length)
    return (
      <Text size="sm" c="dimmed">
        No trained version yet.
      </Text>
    );
  return (
    <Table striped data-testid="energy-comparison">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>Model</Table.Th>
          <Table.Th>L / H</Table.Th>
          <Table.Th>MASE</Table.Th>
          <Table.Th>MAE</Table.Th>
          <Table.Th>RMSE</Table.Th>
          <Table.Th>sMAPE %</Table.Th>
          <Table.Th>10–90 % coverage</Table.Th>
          <Table.Th>Training (s)</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((r) => {
          const naive = rows.find((b) => b.baseline && b.lookback === r.lookback && b.horizon === r.horizon);
          return (
            <Table.Tr
              key={`${r.name}-${r.id}-${r.lookback}-${r.horizon}`}
              data-testid={r.baseline ? "comparison-baseline" : "comparison-row"}
            >
              <Table.Td>
                {r.baseline ? (
                  <Badge variant="light" color="gray">
                    {r.name}
                  </Badge>
                ) : (
                  <>
                    {r.name} <NaiveBadge metrics={{ mase: r.mase, baseline: { mase: naive?.mase } }} />
                  </>
                )}
              </Table.Td>
              <Table.Td>
                {r.lookback} / {r.horizon}
              </Table.Td>
              <Table.Td>{n(r.mase)}</Table.Td>
              <Table.Td>{n(r.mae)}</Table.Td>
              <Table.Td>{n(r.rmse)}</Table.Td>
              <Table.Td>{r.smape === undefined ? "—" : n(r.smape * 100, 1)}</Table.Td>
              <Table.Td>{r.coverage === undefined ? "—" : `${n(r.coverage * 100, 1)} %`}</Table.Td>
              <Table.Td>{n(r.trainSeconds, 1)}</Table.Td>
            </Table.Tr>
          );
        })}
      </Table.Tbody>
    </Table>
  );
}
