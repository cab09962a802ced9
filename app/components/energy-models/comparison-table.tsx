import { Badge, Table, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { useFormat } from "../../lib/format";
import { NaiveBadge } from "./naive-warning";
import type { TrainChoice } from "../../../server/services/energy/models-schema";

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

/** Trained versions of an asset on the held-out tail, with the seasonal-naive baseline row. */
export function ComparisonTable({ rows }: { rows: ComparisonRow[] }) {
  const { t } = useTranslation("forecast");
  const { n: fmt } = useFormat();
  const n = (v: number | null | undefined, d = 3) => fmt(v, { minimumFractionDigits: d, maximumFractionDigits: d });
  if (!rows.length)
    return (
      <Text size="sm" c="dimmed">
        {t("comparison.empty")}
      </Text>
    );
  return (
    <Table striped data-testid="energy-comparison">
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t("comparison.model")}</Table.Th>
          <Table.Th>{t("comparison.lh")}</Table.Th>
          <Table.Th>MASE</Table.Th>
          <Table.Th>MAE</Table.Th>
          <Table.Th>RMSE</Table.Th>
          <Table.Th>{t("comparison.smape")}</Table.Th>
          <Table.Th>{t("comparison.coverage")}</Table.Th>
          <Table.Th>{t("comparison.training")}</Table.Th>
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
                    {t("comparison.baseline")}
                  </Badge>
                ) : (
                  <>
                    {r.id === null
                      ? r.name
                      : t("versionTitle", { kind: t(`kinds.${r.kind as TrainChoice}`), id: r.id })}{" "}
                    <NaiveBadge metrics={{ mase: r.mase, baseline: { mase: naive?.mase } }} />
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
