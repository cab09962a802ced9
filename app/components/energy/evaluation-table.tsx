import { Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { RouterOutputs } from "../../lib/trpc";
import { formatDateTime } from "../../lib/dates";
import { useFormat } from "../../lib/format";

type Evaluation = RouterOutputs["energy"]["assets"]["evaluateBaseline"];

/** Held-out-tail scores, one row per forecaster (the seasonal-naive baseline first). */
export function EvaluationTable({ rows }: { rows: Evaluation[] }) {
  const { t } = useTranslation("energy");
  const { n } = useFormat();
  if (!rows.length) return null;
  const e = rows[0];
  const f = (x: number, d = 3) => n(x, { minimumFractionDigits: d, maximumFractionDigits: d });
  const pct = (x: number) => n(x, { style: "percent", minimumFractionDigits: 1, maximumFractionDigits: 1 });
  // The server names its baseline "seasonal naive"; other forecasters keep their own names.
  const name = (x: string) => (x === "seasonal naive" ? t("evaluation.seasonalNaive") : x);
  return (
    <>
      <Table striped withTableBorder data-testid="energy-evaluation-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("evaluation.model")}</Table.Th>
            <Table.Th>MAE</Table.Th>
            <Table.Th>RMSE</Table.Th>
            <Table.Th>{t("evaluation.smape")}</Table.Th>
            <Table.Th>MASE</Table.Th>
            <Table.Th>{t("evaluation.coverage")}</Table.Th>
            <Table.Th>{t("evaluation.width")}</Table.Th>
            <Table.Th>{t("evaluation.points")}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((r) => (
            <Table.Tr key={r.forecaster}>
              <Table.Td>{name(r.forecaster)}</Table.Td>
              <Table.Td>{f(r.metrics.mae)}</Table.Td>
              <Table.Td>{f(r.metrics.rmse)}</Table.Td>
              <Table.Td>{pct(r.metrics.smape)}</Table.Td>
              <Table.Td>{f(r.metrics.mase)}</Table.Td>
              <Table.Td>{pct(r.metrics.coverage)}</Table.Td>
              <Table.Td>{f(r.metrics.intervalWidth)}</Table.Td>
              <Table.Td>{n(r.metrics.n)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="xs" c="dimmed">
        {t("evaluation.note", {
          percent: Math.round(e.fraction * 100),
          from: formatDateTime(e.testStartTs),
          windows: e.windows,
          horizon: e.horizon,
          lookback: e.lookback,
          season: e.season,
        })}
      </Text>
    </>
  );
}
