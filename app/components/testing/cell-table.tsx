import { useMemo, useState } from "react";
import { Table, UnstyledButton } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { CellMetrics, TestTarget } from "../../../server/schemas/testing";
import { fmtMetric, METRIC_LABELS } from "./format";

type Key = "cellKey" | "n" | `${TestTarget}.${"rmspe" | "rmse" | "r2" | "mae"}`;
const LEAD_COLUMNS = ["cellKey", "n"] as const;

/** Per-cell metrics, sortable by any column (click a header; worst cells first by default). */
export function CellTable({
  cells,
  targets,
  onPick,
  selected,
}: {
  cells: { cellKey: string; n: number; metrics: CellMetrics }[];
  targets: TestTarget[];
  onPick?: (cellKey: string) => void;
  selected?: string | null;
}) {
  const { t: tr } = useTranslation(["testing", "training"]);
  const [sort, setSort] = useState<{ key: Key; desc: boolean }>({ key: `${targets[0]}.rmse`, desc: true });
  const value = (c: (typeof cells)[number], key: Key): number | string => {
    if (key === "cellKey") return c.cellKey;
    if (key === "n") return c.n;
    const [t, m] = key.split(".") as [TestTarget, "rmspe"];
    return c.metrics[t]?.[m] ?? NaN;
  };
  const rows = useMemo(() => {
    const out = [...cells];
    out.sort((a, b) => {
      const va = value(a, sort.key);
      const vb = value(b, sort.key);
      const cmp =
        typeof va === "string"
          ? va.localeCompare(String(vb), "en", { numeric: true })
          : (Number.isNaN(va) ? -Infinity : va) - (Number.isNaN(vb as number) ? -Infinity : (vb as number));
      return sort.desc ? -cmp : cmp;
    });
    return out;
  }, [cells, sort]); // eslint-disable-line react-hooks/exhaustive-deps
  const header = (key: Key, label: string) => (
    <Table.Th key={key}>
      <UnstyledButton
        fz="sm"
        fw={600}
        onClick={() => setSort((s) => ({ key, desc: s.key === key ? !s.desc : true }))}
        data-testid={`sort-${key}`}
      >
        {label}
        {sort.key === key ? (sort.desc ? " ↓" : " ↑") : ""}
      </UnstyledButton>
    </Table.Th>
  );
  const cols = targets.flatMap((t) =>
    (["rmspe", "rmse", "mae", "r2"] as const).map((m) => ({ key: `${t}.${m}` as Key, t, m })),
  );
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped highlightOnHover data-testid="cell-table">
        <Table.Thead>
          <Table.Tr>
            {LEAD_COLUMNS.map((k) => header(k, tr(k === "n" ? "metrics.samples" : "metrics.cell")))}
            {cols.map((c) => header(c.key, `${tr(`training:targets.${c.t}`)} ${METRIC_LABELS[c.m]}`))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((c) => (
            <Table.Tr
              key={c.cellKey}
              onClick={() => onPick?.(c.cellKey)}
              style={{ cursor: onPick ? "pointer" : undefined }}
              bg={selected === c.cellKey ? "blue.0" : undefined}
              data-testid="cell-row"
            >
              <Table.Td>{c.cellKey}</Table.Td>
              <Table.Td>{c.n}</Table.Td>
              {cols.map((col) => (
                <Table.Td key={col.key}>{fmtMetric(col.m, c.metrics[col.t]?.[col.m], col.t)}</Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
