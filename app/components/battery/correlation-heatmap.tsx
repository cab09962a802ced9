import { Group, Stack, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { divergingColor, fmt } from "./palette";

/** The legend's low end (a minus sign, not a hyphen). */
const MINUS_ONE = "\u22121";

/**
 * Correlation matrix as an SVG grid of coloured, labelled cells with a diverging legend.
 * Variables the chosen cells have no correlation for (e.g. raw-data fields on cells without raw
 * data) are left out of the grid and named below it, so the grid is not a wall of "–".
 */
export function CorrelationHeatmap({
  labels: allLabels,
  values: allValues,
  n: allN,
}: {
  labels: string[];
  values: (number | null)[][];
  n: number[][];
}) {
  const { t } = useTranslation("battery");
  const keep = allLabels.map((_, i) => i).filter((i) => allValues[i].some((v, j) => j !== i && v !== null));
  const dropped = allLabels.filter((_, i) => !keep.includes(i));
  const labels = keep.map((i) => allLabels[i]);
  const values = keep.map((i) => keep.map((j) => allValues[i][j]));
  const n = keep.map((i) => keep.map((j) => allN[i][j]));
  const size = 54;
  const left = 220;
  const top = 160;
  const k = labels.length;
  const w = left + k * size + 10;
  const h = top + k * size + 10;
  return (
    <Stack gap="xs">
      <svg width={w} height={h} role="img" aria-label={t("analysis.correlation")} data-testid="heatmap-svg">
        {labels.map((l, i) => (
          <g key={`l${i}`}>
            <text x={left - 6} y={top + i * size + size / 2} textAnchor="end" dominantBaseline="middle" fontSize={12}>
              {l}
            </text>
            <text
              transform={`translate(${left + i * size + size / 2}, ${top - 6}) rotate(-45)`}
              textAnchor="start"
              fontSize={12}
            >
              {l}
            </text>
          </g>
        ))}
        {values.map((row, i) =>
          row.map((v, j) => (
            <g key={`${i}-${j}`}>
              <rect
                x={left + j * size}
                y={top + i * size}
                width={size - 2}
                height={size - 2}
                fill={divergingColor(v)}
                data-testid="heatmap-cell"
              >
                <title>{`${labels[i]} × ${labels[j]}: ${fmt(v, 3)} (n = ${n[i][j]})`}</title>
              </rect>
              <text
                x={left + j * size + (size - 2) / 2}
                y={top + i * size + (size - 2) / 2}
                textAnchor="middle"
                dominantBaseline="middle"
                fontSize={11}
                fill={v !== null && Math.abs(v) > 0.75 ? "white" : "#212529"}
              >
                {v === null ? "–" : v.toFixed(2)}
              </text>
            </g>
          )),
        )}
      </svg>
      <Group gap={6} align="center">
        <Text size="xs">{MINUS_ONE}</Text>
        <div
          style={{
            width: 220,
            height: 12,
            background: `linear-gradient(to right, ${divergingColor(-1)}, ${divergingColor(0)}, ${divergingColor(1)})`,
            border: "1px solid #ced4da",
          }}
        />
        <Text size="xs">+1</Text>
        <Text size="xs" c="dimmed">
          {t("chart.heatmapNote")}
        </Text>
      </Group>
      {dropped.length ? (
        <Text size="xs" c="dimmed" data-testid="heatmap-dropped">
          {t("chart.notShown", { list: dropped.join(", ") })}
        </Text>
      ) : null}
    </Stack>
  );
}
