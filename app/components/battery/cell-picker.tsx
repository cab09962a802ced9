import { useEffect, useMemo } from "react";
import { Button, Group, MultiSelect, Select, Stack, Text, type ComboboxItem, type OptionsFilter } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { trpc, type RouterOutputs } from "../../lib/trpc";
import { useFormat } from "../../lib/format";
import { useBatteryLabels } from "./labels";

type Preset = RouterOutputs["battery"]["presets"][number];

export interface CellSelection {
  datasetId: number | null;
  cellIds: number[];
}

/**
 * Searching "42" or "Cell 42" finds cells whose id starts with 42 (not cells with 42 cycles);
 * words find a split ("test", "primary_train").
 */
const searchCells: OptionsFilter = ({ options, search }) => {
  const q = search
    .trim()
    .toLowerCase()
    .replace(/^cell\s*/, "");
  if (!q) return options;
  return (options as (ComboboxItem & { cellKey?: string; split?: string | null })[]).filter((o) =>
    /^\d/.test(q)
      ? String(o.cellKey).toLowerCase().startsWith(q)
      : String(o.cellKey).toLowerCase().startsWith(q) || (o.split ?? "").toLowerCase().includes(q),
  );
};

/**
 * Dataset (built-in or own upload), presets (all cells, Severson splits, Wen cases), none, and a
 * searchable cell multi-select whose picked chips stay in a compact scrolling box (124 cells
 * fit in three lines) under a count of what is picked.
 */
export function CellPicker({ value, onChange }: { value: CellSelection; onChange: (v: CellSelection) => void }) {
  const { t } = useTranslation("battery");
  const { n } = useFormat();
  const labels = useBatteryLabels();
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
        label: t("picker.option", {
          key: c.cellKey,
          split: c.seversonSplit ? ` · ${c.seversonSplit}` : "",
          cycles: n(c.nCycles),
          features: c.features.length,
        }),
        cellKey: c.cellKey,
        split: c.seversonSplit,
      })),
    [cells.data, t, n],
  );

  const presetDescription = (p: Preset) =>
    p.key === "all"
      ? t("presets.allDescription", { count: p.cellIds.length })
      : p.key === "case_c"
        ? t("presets.caseCDescription", { count: p.cellIds.length })
        : p.roles
          ? t("presets.rolesDescription", { train: p.roles.train.join(", "), test: p.roles.test.join(", ") })
          : t("presets.countDescription", { count: p.cellIds.length });

  return (
    <Stack gap="xs">
      <Group align="end">
        <Select
          label={t("picker.dataset")}
          data-testid="dataset-select"
          w={380}
          value={datasetId === null ? null : String(datasetId)}
          data={(datasets.data ?? []).map((d) => ({
            value: String(d.id),
            label: d.builtin ? t("picker.builtin", { name: d.name }) : t("picker.upload", { name: d.name }),
          }))}
          onChange={(v) => v && onChange({ datasetId: Number(v), cellIds: [] })}
          allowDeselect={false}
        />
        <Text size="sm" c="dimmed">
          {cells.data
            ? t("picker.summary", { cells: n(cells.data.cells.length), cycles: n(cells.data.dataset.cycleCount) })
            : ""}
        </Text>
      </Group>
      <Group gap="xs">
        {(presets.data ?? []).map((p) => (
          <Button
            key={p.key}
            size="xs"
            variant="light"
            title={presetDescription(p)}
            data-testid={`preset-${p.key}`}
            onClick={() => onChange({ datasetId, cellIds: p.cellIds })}
          >
            {labels.preset(p.key, p.label)} ({p.cellIds.length})
          </Button>
        ))}
        <Button
          size="xs"
          variant="subtle"
          color="gray"
          data-testid="cells-none"
          onClick={() => onChange({ datasetId, cellIds: [] })}
        >
          {t("picker.none")}
        </Button>
        <Text size="sm" c="dimmed" data-testid="cells-picked">
          {t("picker.picked", { picked: value.cellIds.length, total: cells.data?.cells.length ?? 0 })}
        </Text>
      </Group>
      <MultiSelect
        label={t("picker.cells")}
        placeholder={value.cellIds.length ? t("picker.add") : t("picker.search")}
        data-testid="cell-select"
        searchable
        clearable
        data={options}
        value={value.cellIds.map(String)}
        onChange={(v) => onChange({ datasetId, cellIds: v.map(Number) })}
        maxDropdownHeight={280}
        limit={200}
        filter={searchCells}
        hidePickedOptions
        styles={{ pillsList: { maxHeight: 92, overflowY: "auto" } }}
      />
    </Stack>
  );
}
