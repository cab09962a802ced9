import { Card, Checkbox, Group, NumberInput, Stack, Text, Title } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import {
  EARLY_LIFE_FROM_CYCLE,
  EARLY_LIFE_INPUTS,
  EARLY_LIFE_LABELS,
  LIMITS,
  type TaskInput,
} from "../../../server/schemas/training";

/**
 * The history a task's models may read (server/services/training/history.ts) and what each model
 * sees. `leak` is the schema's message when observed PCL would be the target itself (horizon-0
 * PCL): the switch is then off and disabled, with that message as its reason.
 */
export function HistoryCard({ form, leak }: { form: UseFormReturnType<TaskInput>; leak: string | null }) {
  const v = form.values;
  return (
    <Card withBorder data-testid="history-card">
      <Title order={4} mb="sm">
        History: what the models may see
      </Title>
      <Stack gap="xs">
        <Group align="end">
          <NumberInput
            label="History window (cycles looked back)"
            min={0}
            max={LIMITS.maxHistory}
            clampBehavior="none"
            w={260}
            {...form.getInputProps("historyWindow")}
            data-testid="field-historyWindow"
          />
          <Checkbox
            label="Observed PCL at t and its trend"
            description={leak ?? "Capacity seen up to the anchor cycle t (RUL, and PCL at h > 0)"}
            disabled={!!leak}
            {...form.getInputProps("historyPcl", { type: "checkbox" })}
            data-testid="field-historyPcl"
          />
          <Checkbox
            label="Each feature's trend"
            description="Change of each feature over the window"
            {...form.getInputProps("historyTrends", { type: "checkbox" })}
            data-testid="field-historyTrends"
          />
        </Group>
        <Checkbox.Group
          label={`Early-life inputs (per cell, known from cycle ${EARLY_LIFE_FROM_CYCLE} on)`}
          {...form.getInputProps("earlyLife")}
          data-testid="field-earlyLife"
        >
          <Group mt={4}>
            {EARLY_LIFE_INPUTS.map((e) => (
              <Checkbox key={e} value={e} label={EARLY_LIFE_LABELS[e]} data-testid={`early-${e}`} />
            ))}
          </Group>
        </Checkbox.Group>
        <Text size="xs" c="dimmed" data-testid="history-explainer">
          A sample is anchored at cycle t of one cell, and every input is what that cell has shown up to t — never a
          later cycle. Baseline and DeepHPM read the chosen features at t, then{" "}
          {v.historyPcl && !leak ? "the observed PCL at t and its trend over the last W cycles, " : ""}
          {v.historyTrends ? "each feature's trend over the last W cycles, " : ""}
          {v.earlyLife?.length ? "the cell's ΔQ₁₀₀₋₁₀ statistics, " : ""}and the cycle number t. BiLSTM reads the same
          columns for its window of consecutive cycles ending at t. A trend is the least-squares slope over cycles t − W
          … t times W; anchors before the cell reached t − W have no sample. Observed PCL is offered for RUL and for PCL
          at a horizon h &gt; 0; PCL estimation at h = 0 never reads capacity (it is the target). ΔQ₁₀₀₋₁₀ (discharge
          capacity at cycle 100 minus cycle 10 over voltage, Severson et al.) exists only once a cell has run{" "}
          {EARLY_LIFE_FROM_CYCLE} cycles, so with it anchors start at cycle {EARLY_LIFE_FROM_CYCLE}; uploaded cells
          without it are refused by name.
        </Text>
      </Stack>
    </Card>
  );
}

/** One line of what a stored task's models read beyond the features at t ("" for none). */
export function historySummary(
  cfg: Pick<TaskInput, "historyWindow" | "historyPcl" | "historyTrends" | "earlyLife">,
): string {
  const parts: string[] = [];
  const w = cfg.historyWindow ?? 0;
  if (w > 0 && cfg.historyPcl) parts.push(`observed PCL and its trend over ${w} cycles`);
  if (w > 0 && cfg.historyTrends) parts.push(`feature trends over ${w} cycles`);
  if (cfg.earlyLife?.length)
    parts.push(`${cfg.earlyLife.map((e) => EARLY_LIFE_LABELS[e]).join(", ")} (from cycle ${EARLY_LIFE_FROM_CYCLE})`);
  return parts.length ? ` · history: ${parts.join("; ")}` : "";
}
