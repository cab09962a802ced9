import { Card, Checkbox, Group, NumberInput, Stack, Text, Title } from "@mantine/core";
import type { UseFormReturnType } from "@mantine/form";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
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
 * PCL), in the user's language: the switch is then off and disabled, with that message as its reason.
 */
export function HistoryCard({ form, leak }: { form: UseFormReturnType<TaskInput>; leak: string | null }) {
  const { t } = useTranslation("training");
  const v = form.values;
  return (
    <Card withBorder data-testid="history-card">
      <Title order={4} mb="sm">
        {t("history.title")}
      </Title>
      <Stack gap="xs">
        <Group align="end">
          <NumberInput
            label={t("history.window")}
            min={0}
            max={LIMITS.maxHistory}
            clampBehavior="none"
            w={260}
            {...form.getInputProps("historyWindow")}
            data-testid="field-historyWindow"
          />
          <Checkbox
            label={t("history.pcl")}
            description={leak ?? t("history.pclHelp")}
            disabled={!!leak}
            {...form.getInputProps("historyPcl", { type: "checkbox" })}
            data-testid="field-historyPcl"
          />
          <Checkbox
            label={t("history.trends")}
            description={t("history.trendsHelp")}
            {...form.getInputProps("historyTrends", { type: "checkbox" })}
            data-testid="field-historyTrends"
          />
        </Group>
        <Checkbox.Group
          label={t("history.early", { cycle: EARLY_LIFE_FROM_CYCLE })}
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
          {t("history.explainStart")}
          {v.historyPcl && !leak ? t("history.explainPcl") : ""}
          {v.historyTrends ? t("history.explainTrends") : ""}
          {v.earlyLife?.length ? t("history.explainEarly") : ""}
          {t("history.explainEnd", { cycle: EARLY_LIFE_FROM_CYCLE })}
        </Text>
      </Stack>
    </Card>
  );
}

/** One line of what a stored task's models read beyond the features at t ("" for none), in `t`'s language. */
export function historySummary(
  t: TFunction<"training">,
  cfg: Pick<TaskInput, "historyWindow" | "historyPcl" | "historyTrends" | "earlyLife">,
): string {
  const parts: string[] = [];
  const w = cfg.historyWindow ?? 0;
  if (w > 0 && cfg.historyPcl) parts.push(t("history.summaryPcl", { window: w }));
  if (w > 0 && cfg.historyTrends) parts.push(t("history.summaryTrends", { window: w }));
  if (cfg.earlyLife?.length)
    parts.push(
      t("history.summaryEarly", {
        inputs: cfg.earlyLife.map((e) => EARLY_LIFE_LABELS[e]).join(", "),
        cycle: EARLY_LIFE_FROM_CYCLE,
      }),
    );
  return parts.length ? t("history.summary", { parts: parts.join("; ") }) : "";
}
