import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { useForm } from "@mantine/form";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import {
  ALGORITHMS,
  ALGORITHM_LABELS,
  DEFAULT_INPUT_NOISE,
  FORBIDDEN_FEATURES,
  LIMITS,
  PHYSICS_INPUTS,
  SPLIT_LABELS,
  SPLIT_PRESETS,
  SYSTEM_SETTINGS,
  TASK_DEFAULTS,
  CASE_C_SETTINGS,
  createTaskInput,
  historyLeak,
  type TaskInput,
} from "../../server/schemas/training";
import { HistoryCard } from "../components/training";

const PHYSICS_LABELS: Record<string, string> = {
  s: "s (features)",
  t: "t (cycle)",
  u: "u",
  u_s: "∂u/∂s",
  u_t: "∂u/∂t",
};

export default function BatteryTrain() {
  const navigate = useNavigate();
  const datasets = trpc.battery.listDatasets.useQuery();
  const quotas = trpc.quotas.mine.useQuery();
  const form = useForm<TaskInput>({
    initialValues: {
      ...TASK_DEFAULTS,
      name: `Severson RUL ${new Date().toISOString().slice(0, 16).replace("T", " ")}`,
    },
    validate: zodValidate(createTaskInput),
  });
  const [error, setError] = useState<string | null>(null);
  const v = form.values;
  const dataset = datasets.data?.find((d) => d.id === v.datasetId);
  useEffect(() => {
    if (!v.datasetId && datasets.data?.length) form.setFieldValue("datasetId", datasets.data[0].id);
  }, [datasets.data]); // eslint-disable-line react-hooks/exhaustive-deps
  // The one leak rule: observed PCL is the horizon-0 PCL target itself, so the form turns it off there.
  const leak = historyLeak({ historyPcl: true, target: v.target, horizon: v.horizon ?? 0 });
  useEffect(() => {
    if (leak && v.historyPcl) form.setFieldValue("historyPcl", false);
  }, [leak]); // eslint-disable-line react-hooks/exhaustive-deps
  const cells = trpc.battery.listCells.useQuery({ datasetId: v.datasetId }, { enabled: v.datasetId > 0 });
  const cellOptions = useMemo(
    () =>
      (cells.data?.cells ?? []).map((c) => ({
        value: c.cellKey,
        label: `Cell ${c.cellKey}${c.seversonSplit ? ` · ${c.seversonSplit}` : ""}`,
      })),
    [cells.data],
  );
  const featureOptions = (dataset?.features ?? [])
    .filter((f) => !(FORBIDDEN_FEATURES as readonly string[]).includes(f.key))
    .map((f) => ({ value: f.key, label: `${f.label}${f.unit ? ` (${f.unit})` : ""}` }));
  const builtin = dataset?.builtin ?? true;
  const splits = SPLIT_PRESETS.filter((s) => builtin || s === "custom").map((s) => ({
    value: s,
    label: SPLIT_LABELS[s],
  }));

  const create = trpc.training.create.useMutation({
    onSuccess: (t) => navigate(`/battery/tasks/${t.id}`),
    onError: (e) => {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    },
  });

  const num = (field: keyof TaskInput, label: string, props: Record<string, unknown> = {}) => (
    <NumberInput
      label={label}
      clampBehavior="none"
      {...form.getInputProps(field)}
      data-testid={`field-${field}`}
      {...props}
    />
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Train battery models</Title>
        <Group>
          <Anchor component={Link} to="/battery/tasks">
            Training tasks
          </Anchor>
          <Anchor component={Link} to="/battery/models">
            Model library
          </Anchor>
        </Group>
      </Group>
      <form
        onSubmit={form.onSubmit((values) => {
          setError(null);
          create.mutate(values);
        })}
        data-testid="train-form"
      >
        <Stack>
          <Card withBorder>
            <Title order={4} mb="sm">
              Data
            </Title>
            <SimpleGrid cols={{ base: 1, md: 3 }}>
              <TextInput label="Task name" {...form.getInputProps("name")} data-testid="field-name" />
              <Select
                label="Dataset"
                data={(datasets.data ?? []).map((d) => ({
                  value: String(d.id),
                  label: `${d.name}${d.builtin ? "" : " (upload)"}`,
                }))}
                value={v.datasetId ? String(v.datasetId) : null}
                onChange={(x) => {
                  const ds = datasets.data?.find((d) => String(d.id) === x);
                  form.setValues({
                    datasetId: Number(x),
                    split: ds?.builtin ? "case_a" : "custom",
                    trainCells: [],
                    testCells: [],
                    valCells: [],
                    features: (ds?.features ?? []).slice(0, 3).map((f) => f.key),
                  });
                }}
                error={form.errors.datasetId}
                allowDeselect={false}
                data-testid="field-datasetId"
              />
              <Select
                label="Split"
                data={splits}
                {...form.getInputProps("split")}
                onChange={(value) => {
                  if (!value) return;
                  // Case C tests on random cycles of the training cells themselves (interpolation), where
                  // input noise only blurs what tells the cells apart: the preset turns it off.
                  // The Severson preset's defaults (history-aware, chosen on validation cells) use none either;
                  // Wen's Cases A/B come back to the regularised default.
                  if (value === "case_c" || value === "severson")
                    form.setFieldValue(
                      "inputNoise",
                      value === "severson" ? (TASK_DEFAULTS.inputNoise ?? 0) : CASE_C_SETTINGS.inputNoise,
                    );
                  else if (v.split === "case_c" || v.split === "severson")
                    form.setFieldValue("inputNoise", DEFAULT_INPUT_NOISE);
                  // Case C interpolates between cycles of its own cells and keeps improving for longer.
                  if (value === "case_c") form.setFieldValue("epochs", CASE_C_SETTINGS.epochs);
                  else if (v.split === "case_c") form.setFieldValue("epochs", TASK_DEFAULTS.epochs ?? 100);
                  form.setFieldValue("split", value as typeof v.split);
                }}
                allowDeselect={false}
                data-testid="field-split"
              />
            </SimpleGrid>
            {v.split === "severson" ? (
              <Select
                mt="sm"
                label="Test cells"
                data={[
                  { value: "primary_test", label: "Severson primary test (43)" },
                  { value: "secondary_test", label: "Severson secondary test (40)" },
                  { value: "both", label: "Both" },
                ]}
                {...form.getInputProps("seversonTest")}
                w={320}
              />
            ) : null}
            {v.split === "custom" ? (
              <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
                <MultiSelect
                  label="Training cells"
                  data={cellOptions}
                  searchable
                  {...form.getInputProps("trainCells")}
                  data-testid="field-trainCells"
                />
                <MultiSelect
                  label="Test cells (held out)"
                  data={cellOptions}
                  searchable
                  {...form.getInputProps("testCells")}
                  data-testid="field-testCells"
                />
              </SimpleGrid>
            ) : null}
            {v.split === "custom" || v.split === "severson" ? (
              <Group mt="sm" align="end">
                <Select
                  label="Validation"
                  data={[
                    { value: "fraction", label: "Random fraction of the training samples" },
                    { value: "cells", label: "Chosen validation cells" },
                  ]}
                  {...form.getInputProps("valMode")}
                  allowDeselect={false}
                  w={320}
                />
                {v.valMode === "fraction" ? (
                  num("valFraction", "Validation fraction", {
                    min: 0.05,
                    max: 0.5,
                    step: 0.05,
                    decimalScale: 2,
                    w: 180,
                  })
                ) : (
                  <MultiSelect
                    label="Validation cells"
                    data={cellOptions}
                    searchable
                    {...form.getInputProps("valCells")}
                    w={400}
                    data-testid="field-valCells"
                  />
                )}
              </Group>
            ) : null}
            <Text size="xs" c="dimmed" mt="xs">
              Case A/B: the training cells' samples are split 80/20 at random (seeded) into train/validation, the test
              cell(s) held out. Case C: every sample of the 43 primary-test cells, split 60/20/20 at random. Inputs and
              targets are z-scored with training-set statistics.
            </Text>
            <SimpleGrid cols={{ base: 1, md: 4 }} mt="sm">
              <Select
                label="Target"
                data={[
                  { value: "pcl", label: "PCL (capacity loss; scored on SoH)" },
                  { value: "rul", label: "RUL (cycles)" },
                  { value: "both", label: "Both (two outputs)" },
                ]}
                {...form.getInputProps("target")}
                allowDeselect={false}
                data-testid="field-target"
              />
              <MultiSelect
                label="Features (+ cycle number)"
                data={featureOptions}
                {...form.getInputProps("features")}
                data-testid="field-features"
              />
              {num("window", "Window W (BiLSTM, cycles)", { min: 1, max: LIMITS.maxWindow })}
              {num("horizon", "Horizon h (cycles ahead)", { min: 0, max: LIMITS.maxHorizon })}
            </SimpleGrid>
            <Checkbox
              mt="xs"
              label="Train on covered cycles only (a feature that lacks values on some cycles of the chosen cells otherwise refuses the task; see the dataset's feature coverage)"
              {...form.getInputProps("coveredCyclesOnly", { type: "checkbox" })}
              data-testid="field-coveredCyclesOnly"
            />
            <Text size="xs" c="dimmed" mt="xs">
              qdischarge_ah is never offered: it is the PCL target in disguise (PCL = 1 − QD / 1.1 Ah).
            </Text>
          </Card>

          <HistoryCard form={form} leak={leak} />

          <Card withBorder>
            <Title order={4} mb="sm">
              Algorithms
            </Title>
            <Checkbox.Group {...form.getInputProps("algorithms")} data-testid="field-algorithms">
              <Group>
                {ALGORITHMS.map((a) => (
                  <Checkbox
                    key={a}
                    value={a}
                    label={`${ALGORITHM_LABELS[a]} (batch ${SYSTEM_SETTINGS.batchSize[a]})`}
                    data-testid={`algo-${a}`}
                  />
                ))}
              </Group>
            </Checkbox.Group>
            {v.algorithms.includes("deephpm") ? (
              <Group mt="sm" align="end">
                <Checkbox.Group label="DeepHPM: inputs of G" {...form.getInputProps("physicsInputs")}>
                  <Group>
                    {PHYSICS_INPUTS.map((p) => (
                      <Checkbox key={p} value={p} label={PHYSICS_LABELS[p]} />
                    ))}
                  </Group>
                </Checkbox.Group>
                <Select
                  label="DeepHPM loss"
                  data={[
                    { value: "sum", label: "Sum: data + w·(F² + F_t²)" },
                    { value: "adaptive", label: "Adaptive (uncertainty weights)" },
                  ]}
                  description="Adaptive weights each term by a learned 1/σ². When the physics residuals reach zero it can starve the data term: on Case C validation stops improving after ~160 epochs (RUL RMSE 158 cycles vs 104 with Sum; bench/results/accuracy.md)."
                  {...form.getInputProps("physicsLoss")}
                  allowDeselect={false}
                  w={340}
                />
                {v.physicsLoss === "sum"
                  ? num("physicsWeight", "Physics weight w (sum: data + w·(F² + F_t²))", {
                      min: 0.001,
                      max: 100,
                      step: 0.1,
                      decimalScale: 3,
                      w: 300,
                    })
                  : null}
              </Group>
            ) : null}
            <SimpleGrid cols={{ base: 2, md: 4 }} mt="sm">
              {num("learningRate", "Learning rate", { min: 1e-6, max: 0.1, step: 1e-4, decimalScale: 6 })}
              {num("inputNoise", "Input noise σ (training only)", { min: 0, max: 1, step: 0.05, decimalScale: 2 })}
              {num("epochs", `Epochs (≤ ${LIMITS.maxEpochs})`, { min: 1, max: LIMITS.maxEpochs })}
              {num("hiddenLayers", "Hidden layers (MLP)", { min: LIMITS.layers[0], max: LIMITS.layers[1] })}
              {num("hiddenWidth", "Hidden width (MLP)", { min: LIMITS.width[0], max: LIMITS.width[1] })}
              {num("lstmLayers", "LSTM layers", { min: LIMITS.lstmLayers[0], max: LIMITS.lstmLayers[1] })}
              {num("lstmHidden", "LSTM hidden size", { min: LIMITS.lstmHidden[0], max: LIMITS.lstmHidden[1] })}
              {num("seed", "Seed", { min: 0 })}
              {num("repeats", "Repeats (seeds)", { min: 1, max: LIMITS.maxRepeats })}
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt="xs">
              Fixed by the system: batch size {SYSTEM_SETTINGS.batchSize.baseline} for Baseline and DeepHPM,{" "}
              {SYSTEM_SETTINGS.batchSize.bilstm} for BiLSTM; Adam. The best-validation epoch is kept. Repeats train
              seeds seed, seed + 1, … and report mean ± std.
            </Text>
            <Text size="xs" c="dimmed">
              Input noise σ: Gaussian noise added to the z-scored inputs of each training batch (seeded), a regulariser
              that helps on unseen cells; validation, test and inference inputs stay clean. 0 turns it off (Wen et al.'s
              setting); the Case C preset sets 0, since its test samples come from the training cells.
            </Text>
          </Card>
          {error ? (
            <Alert color="red" data-testid="train-error">
              {error}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={create.isPending} data-testid="start-training">
              Start training
            </Button>
            {quotas.data ? (
              <Text size="sm" c="dimmed" data-testid="quota-usage">
                Your jobs: {quotas.data.activeJobs.used} of {quotas.data.activeJobs.limit} queued or running (each
                algorithm is one job; this task adds {v.algorithms.length}). Training compute per task: at most{" "}
                {quotas.data.taskTflop.limit.toLocaleString("en")} TFLOP (samples × epochs × repeats × algorithms ×
                model size).
              </Text>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
