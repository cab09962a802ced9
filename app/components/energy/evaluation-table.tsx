import { Table, Text } from "@mantine/core";
import type { RouterOutputs } from "../../lib/trpc";

type Evaluation = RouterOutputs["energy"]["assets"]["evaluateBaseline"];

const f = (x: number, d = 3) => (Number.isFinite(x) ? x.toFixed(d) : "—");
const pct = (x: number) => (Number.isFinite(x) ? `${(x * 100).toFixed(1)} %` : "—");

/** Held-out-tail scores, one row per forecaster (the seasonal-naive baseline first). */
export function EvaluationTable({ rows }: { rows: Evaluation[] }) {
  if (!rows.length) return null;
  const e = rows[0];
  return (
    <>
      <Table striped withTableBorder data-testid="energy-evaluation-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Model</Table.Th>
            <Table.Th>MAE</Table.Th>
            <Table.Th>RMSE</Table.Th>
            <Table.Th>sMAPE</Table.Th>
            <Table.Th>MASE</Table.Th>
            <Table.Th>10–90 % coverage</Table.Th>
            <Table.Th>Interval width</Table.Th>
            <Table.Th>Points</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.forecaster}>
              <Table.Td>{r.forecaster}</Table.Td>
              <Table.Td>{f(r.metrics.mae)}</Table.Td>
              <Table.Td>{f(r.metrics.rmse)}</Table.Td>
              <Table.Td>{pct(r.metrics.smape)}</Table.Td>
              <Table.Td>{f(r.metrics.mase)}</Table.Td>
              <Table.Td>{pct(r.metrics.coverage)}</Table.Td>
              <Table.Td>{f(r.metrics.intervalWidth)}</Table.Td>
              <Table.Td>{r.metrics.n.toLocaleString("en")}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        Last {Math.round(e.fraction * 100)} % held out (from{" "}
        {new Date(e.testStartTs).toISOString().slice(0, 16).replace("T", " ")} UTC), {e.windows} rolling origins every{" "}
        {e.horizon} steps, lookback {e.lookback}, horizon {e.horizon}. MASE scale: mean absolute one-day ({e.season}
        -step) seasonal difference of the training part. sMAPE = mean 2|ŷ−y|/(|ŷ|+|y|). Dropout-flagged points are not
        scored.
      </Text>
    </>
  );
}
