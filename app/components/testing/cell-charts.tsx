import { LineChart } from "@mantine/charts";
import { Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { TestTarget } from "../../../server/schemas/testing";

/** Tooltip and axis numbers: 4 significant digits, never `0.06960903108119965`. */
const round = (v: number) => (Number.isFinite(v) ? String(Number(v.toPrecision(4))) : "–");

export interface CellPoint {
  cycle: number;
  yTrue: number;
  yPred: number;
  residual: number;
}

/** Predicted vs true over cycles, and residuals over cycles, for one cell and target (downsampled points). */
export function CellCharts({ target, points, cellKey }: { target: TestTarget; points: CellPoint[]; cellKey: string }) {
  const { t } = useTranslation(["testing", "training"]);
  return (
    <Stack gap="xs">
      <Text size="sm" fw={600}>
        {t("charts.predVsTrue", { cell: cellKey, target: t(`training:targets.${target}`) })}
      </Text>
      <div data-testid={`chart-pred-${target}`}>
        <LineChart
          h={260}
          data={points}
          dataKey="cycle"
          series={[
            { name: "yTrue", label: t("charts.true"), color: "gray.6" },
            { name: "yPred", label: t("charts.predicted"), color: "blue.6" },
          ]}
          withDots={false}
          curveType="linear"
          xAxisLabel={t("charts.cycle")}
          yAxisLabel={target === "pcl" ? t("charts.unitPcl") : t("charts.unitRul")}
          xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"] }}
          valueFormatter={round}
          withLegend
          legendProps={{ verticalAlign: "top", height: 28 }}
          tooltipAnimationDuration={0}
          lineChartProps={{ syncId: `cell-${target}` }}
        />
      </div>
      <div data-testid={`chart-residual-${target}`}>
        <LineChart
          h={180}
          data={points}
          dataKey="cycle"
          series={[{ name: "residual", label: t("charts.residualSeries"), color: "red.6" }]}
          withDots={false}
          curveType="linear"
          xAxisLabel={t("charts.cycle")}
          yAxisLabel={t("charts.residual")}
          referenceLines={[{ y: 0, color: "gray.5" }]}
          valueFormatter={round}
          xAxisProps={{ type: "number", domain: ["dataMin", "dataMax"] }}
          tooltipAnimationDuration={0}
          lineChartProps={{ syncId: `cell-${target}` }}
        />
      </div>
    </Stack>
  );
}
