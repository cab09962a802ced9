import { useEffect, useMemo } from "react";
import { Button, Group, MultiSelect, Select, Stack, Text } from "@mantine/core";
import { trpc } from "../../lib/trpc";

export interface CellSelection {
  datasetId: number | null;
  cellIds: number[];
}

/** Dataset (built-in or own upload), presets (Severson splits, Wen cases) and a searchable cell multi-select. */
export function CellPicker({ value, onChange }: { value: CellSelection; onChange: (v: CellSelection) => void }) {
  const datasets = trpc.battery.listDatasets.useQuery();
  const datasetId = value.datasetId;
  useEffect(() => {
    if (datasetId === null && datasets.data?.length) onChange({ datasetId: datasets.data[0].id, cellIds: [] });
  }, [datasetId, datasets.data, onChange]);
  const cells = trpc.battery.listCells.useQuery({ datasetId: datasetId ?? 0 }, { enabled: datasetId !== null });
  const presets = trpc.battery.presets.useQuery({ datasetId: datasetId ?? 0 }, { enabled: datasetId !== null });

  const options = useMemo(
    () =>
      (cells.data?.cells ?? []).map((c) => ({
        value: String(c.id),
        label: `Cell ${c.cellKey}${c.seversonSplit ? ` · ${c.seversonSplit}` : ""} · ${c.nCycles} cycles · ${c.features.length} features`,
      })),
    [cells.data],
  );

  return (
    <Stack gap="xs">
      <Group align="end">
        <Select
          label="Dataset"
          data-testid="dataset-select"
          w={380}
          value={datasetId === null ? null : String(datasetId)}
          data={(datasets.data ?? []).map((d) => ({ value: String(d.id), label: `${d.builtin ? "Built-in: " : "Upload: "}${d.name}` }))}
          onChange={(v) => v && onChange({ datasetId: Number(v), cellIds: [] })}
          allowDeselect={false}
        />
        <Text size="sm" c="dimmed">
          {cells.data ? `${cells.data.cells.length} cells, ${cells.data.dataset.cycleCount.toLocaleString("en")} cycles` : ""}
        </Text>
      </Group>
      <Group gap="xs">
        {(presets.data ?? []).map((p) => (
          <Button
            key={p.key}
            size="xs"
            variant="light"
            title={p.description}
            data-testid={`preset-${p.key}`}
            onClick={() => onChange({ datasetId, cellIds: p.cellIds })}
          >
            {p.label} ({p.cellIds.length})
          </Button>
        ))}
        <Button size="xs" variant="subtle" color="gray" onClick={() => onChange({ datasetId, cellIds: [] })}>
          Clear
        </Button>
      </Group>
      <MultiSelect
        label="Cells"
        placeholder={value.cellIds.length ? "Add cells…" : "Search cells by id or split…"}
        data-testid="cell-select"
        searchable
        clearable
        data={options}
        value={value.cellIds.map(String)}
        onChange={(v) => onChange({ datasetId, cellIds: v.map(Number) })}
        maxDropdownHeight={280}
        limit={200}
        hidePickedOptions
      />
    </Stack>
  );
}
