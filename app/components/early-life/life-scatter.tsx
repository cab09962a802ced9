import {
  CartesianGrid,
  ComposedChart,
  Label,
  Legend,
  Line,
  ResponsiveContainer,
  Scatter,
  XAxis,
  YAxis,
} from "recharts";
import { useTranslation } from "react-i18next";

export interface LifeGroup {
  name: string;
  cells: { key: string; trueLife: number; predictedLife: number }[];
}

const COLORS = ["#0b7285", "#e8590c", "#5f3dc4", "#2b8a3e"];
/** Each point's cell id above it. */
const POINT_LABEL = { dataKey: "key", position: "top", fontSize: 9 } as const;

/**
 * Predicted against true cycle life, one colour per test group, with the diagonal y = x (a
 * perfect prediction) and labelled axes; each point carries its cell id, so the chart reads
 * without hovering.
 */
export function LifeScatter({ groups }: { groups: LifeGroup[] }) {
  const { t } = useTranslation("earlyLife");
  const all = groups.flatMap((g) => g.cells.flatMap((c) => [c.trueLife, c.predictedLife]));
  const hi = Math.ceil((Math.max(0, ...all) * 1.05) / 100) * 100;
  const diagonal = [
    { x: 0, y: 0 },
    { x: hi, y: hi },
  ];
  return (
    <div data-testid="life-scatter" style={{ width: "100%", height: 440 }}>
      <ResponsiveContainer>
        <ComposedChart margin={{ top: 10, right: 20, bottom: 30, left: 20 }}>
          <CartesianGrid strokeDasharray="3 3" />
          <XAxis type="number" dataKey="x" domain={[0, hi]} allowDataOverflow>
            <Label value={t("scatter.trueLife")} position="bottom" offset={10} />
          </XAxis>
          <YAxis type="number" dataKey="y" domain={[0, hi]} allowDataOverflow>
            <Label
              value={t("scatter.predictedLife")}
              angle={-90}
              position="insideLeft"
              style={{ textAnchor: "middle" }}
            />
          </YAxis>
          <Legend verticalAlign="top" />
          <Line
            data={diagonal}
            dataKey="y"
            name={t("scatter.diagonal")}
            stroke="#868e96"
            strokeDasharray="6 4"
            dot={false}
            isAnimationActive={false}
            legendType="plainline"
          />
          {groups.map((g, i) => (
            <Scatter
              key={g.name}
              name={g.name}
              data={g.cells.map((c) => ({ x: c.trueLife, y: Math.round(c.predictedLife), key: c.key }))}
              fill={COLORS[i % COLORS.length]}
              isAnimationActive={false}
              label={{ ...POINT_LABEL, fill: COLORS[i % COLORS.length] }}
            />
          ))}
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}
