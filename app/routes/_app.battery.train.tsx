import { useEffect, useMemo, useState } from "react";
import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import type { training as fieldCatalog } from "../../server/i18n/catalogs/en/training";
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
  DEFAULT_INPUT_NOISE,
  FORBIDDEN_FEATURES,
  LIMITS,
  PHYSICS_INPUTS,
  SPLIT_PRESETS,
  SYSTEM_SETTINGS,
  TASK_DEFAULTS,
  CASE_C_SETTINGS,
  createTaskInput,
  historyLeak,
  type Algorithm,
  type TaskInput,
} from "../../server/schemas/training";
import { HistoryCard } from "../components/training";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";

export const meta = (args: MetaArgs) => pageTitle(args, "training:form.title");

/** A field errors name by its path (training:fields.<field>). */
type NamedField = keyof (typeof fieldCatalog)["fields"];

/** The same epochs for every algorithm (the form's starting point and the presets' value). */
const everyAlgorithm = (epochs: number) =>
  Object.fromEntries(ALGORITHMS.map((a) => [a, epochs])) as Record<Algorithm, number>;

/** What the form sends: the epochs of the chosen algorithms only (an unchosen one's field is hidden). */
function chosenEpochs(values: TaskInput): TaskInput {
  const own = values.algorithmEpochs ?? {};
  return {
    ...values,
    algorithmEpochs: Object.fromEntries(values.algorithms.filter((a) => a in own).map((a) => [a, own[a]])),
  };
}

export default function BatteryTrain() {
  const { t } = useTranslation(["training", "common"]);
  const { n } = useFormat();
  const navigate = useNavigate();
  const datasets = trpc.battery.listDatasets.useQuery();
  const quotas = trpc.quotas.mine.useQuery();
  const workers = trpc.jobs.workers.useQuery();
  const gpus = (workers.data ?? []).filter((w) => w.device === "cuda").length;
  const validate = zodValidate<TaskInput>(createTaskInput);
  const form = useForm<TaskInput>({
    initialValues: {
      ...TASK_DEFAULTS,
      device: "any",
      algorithmEpochs: everyAlgorithm(TASK_DEFAULTS.epochs ?? 100),
      name: t("form.defaultName", { date: new Date().toISOString().slice(0, 16).replace("T", " ") }),
    },
    validate: (values) => validate(chosenEpochs(values)),
  });
  const [error, setError] = useState<string | null>(null);
  const v = form.values;
  const dataset = datasets.data?.find((d) => d.id === v.datasetId);
  useEffect(() => {
    if (!v.datasetId && datasets.data?.length) form.setFieldValue("datasetId", datasets.data[0].id);
  }, [datasets.data]); // eslint-disable-line react-hooks/exhaustive-deps
  // The one leak rule: observed PCL is the horizon-0 PCL target itself, so the form turns it off there.
  const leakKey = historyLeak({ historyPcl: true, target: v.target, horizon: v.horizon ?? 0 });
  const leak = leakKey ? t(leakKey as "errors.historyLeak") : null;
  useEffect(() => {
    if (leak && v.historyPcl) form.setFieldValue("historyPcl", false);
  }, [leak]); // eslint-disable-line react-hooks/exhaustive-deps
  const cells = trpc.battery.listCells.useQuery({ datasetId: v.datasetId }, { enabled: v.datasetId > 0 });
  const cellOptions = useMemo(
    () =>
      (cells.data?.cells ?? []).map((c) => ({
        value: c.cellKey,
        label: `${t("form.cellLabel", { cell: c.cellKey })}${c.seversonSplit ? ` · ${c.seversonSplit}` : ""}`,
      })),
    [cells.data, t],
  );
  const featureOptions = (dataset?.features ?? [])
    .filter((f) => !(FORBIDDEN_FEATURES as readonly string[]).includes(f.key))
    .map((f) => ({ value: f.key, label: `${f.label}${f.unit ? ` (${f.unit})` : ""}` }));
  const builtin = dataset?.builtin ?? true;
  const splits = SPLIT_PRESETS.filter((s) => builtin || s === "custom").map((s) => ({
    value: s,
    label: t(`splits.${s}`),
  }));

  const create = trpc.training.create.useMutation({
    onSuccess: (task) => navigate(`/battery/tasks/${task.id}`),
    onError: (e) => {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    },
  });

  // A number field; its label defaults to the field's name (the one its errors use).
  const num = (field: NamedField, label: string | null, props: Record<string, unknown> = {}) => (
    <NumberInput
      label={label ?? t(`fields.${field}`)}
      clampBehavior="none"
      {...form.getInputProps(field)}
      data-testid={`field-${field}`}
      {...props}
    />
  );
  const setEpochs = (epochs: number) => form.setFieldValue("algorithmEpochs", everyAlgorithm(epochs));

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("form.title")}</Title>
        <Group>
          <Anchor component={Link} to="/battery/tasks">
            {t("nav.tasks")}
          </Anchor>
          <Anchor component={Link} to="/battery/models">
            {t("nav.models")}
          </Anchor>
        </Group>
      </Group>
      <form
        onSubmit={form.onSubmit((values) => {
          setError(null);
          create.mutate(chosenEpochs(values));
        })}
        data-testid="train-form"
      >
        <Stack>
          <Card withBorder>
            <Title order={4} mb="sm">
              {t("form.data")}
            </Title>
            {/* Two per row: a split's or a dataset's name is read whole, never cut off. */}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <TextInput label={t("form.taskName")} {...form.getInputProps("name")} data-testid="field-name" />
              <Select
                label={t("form.dataset")}
                data={(datasets.data ?? []).map((d) => ({
                  value: String(d.id),
                  label: d.builtin ? d.name : t("form.upload", { name: d.name }),
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
                label={t("form.split")}
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
                  if (value === "case_c") setEpochs(CASE_C_SETTINGS.epochs);
                  else if (v.split === "case_c") setEpochs(TASK_DEFAULTS.epochs ?? 100);
                  form.setFieldValue("split", value as typeof v.split);
                }}
                allowDeselect={false}
                data-testid="field-split"
              />
              {v.split === "severson" ? (
                <Select
                  label={t("form.testCells")}
                  data={[
                    { value: "primary_test", label: t("form.seversonPrimary") },
                    { value: "secondary_test", label: t("form.seversonSecondary") },
                    { value: "both", label: t("form.seversonBoth") },
                  ]}
                  {...form.getInputProps("seversonTest")}
                />
              ) : null}
            </SimpleGrid>
            {v.split === "custom" ? (
              <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
                <MultiSelect
                  label={t("form.trainCells")}
                  data={cellOptions}
                  searchable
                  {...form.getInputProps("trainCells")}
                  data-testid="field-trainCells"
                />
                <MultiSelect
                  label={t("form.heldOutCells")}
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
                  label={t("form.validation")}
                  data={[
                    { value: "fraction", label: t("form.valRandom") },
                    { value: "cells", label: t("form.valChosen") },
                  ]}
                  {...form.getInputProps("valMode")}
                  allowDeselect={false}
                  w={320}
                />
                {v.valMode === "fraction" ? (
                  num("valFraction", t("form.valFraction"), {
                    min: 0.05,
                    max: 0.5,
                    step: 0.05,
                    decimalScale: 2,
                    w: 180,
                  })
                ) : (
                  <MultiSelect
                    label={t("form.valCells")}
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
              {t("form.splitHelp")}
            </Text>
            <SimpleGrid cols={{ base: 1, md: 3 }} mt="sm">
              <Select
                label={t("form.target")}
                data={[
                  { value: "pcl", label: t("form.targetPcl") },
                  { value: "rul", label: t("form.targetRul") },
                  { value: "both", label: t("form.targetBoth") },
                ]}
                {...form.getInputProps("target")}
                allowDeselect={false}
                data-testid="field-target"
              />
              {num("window", t("form.window"), { min: 1, max: LIMITS.maxWindow })}
              {num("horizon", t("form.horizon"), { min: 0, max: LIMITS.maxHorizon })}
            </SimpleGrid>
            {/* A row of its own: every chosen feature's chip shows its whole name. */}
            <MultiSelect
              mt="sm"
              label={t("form.features")}
              data={featureOptions}
              {...form.getInputProps("features")}
              data-testid="field-features"
            />
            <Checkbox
              mt="xs"
              label={t("form.coveredOnly")}
              {...form.getInputProps("coveredCyclesOnly", { type: "checkbox" })}
              data-testid="field-coveredCyclesOnly"
            />
            <Text size="xs" c="dimmed" mt="xs">
              {t("form.forbiddenHelp")}
            </Text>
          </Card>

          <HistoryCard form={form} leak={leak} />

          <Card withBorder>
            <Title order={4} mb="sm">
              {t("form.algorithms")}
            </Title>
            {/* Each algorithm with its own epochs (BiLSTM can stay short while the MLPs train long). */}
            <Checkbox.Group {...form.getInputProps("algorithms")} data-testid="field-algorithms">
              <SimpleGrid cols={{ base: 1, md: 3 }}>
                {ALGORITHMS.map((a) => (
                  <Stack key={a} gap={6}>
                    <Checkbox
                      value={a}
                      label={t("form.algorithmBatch", {
                        algorithm: t(`algorithms.${a}`),
                        batch: SYSTEM_SETTINGS.batchSize[a],
                      })}
                      data-testid={`algo-${a}`}
                    />
                    {v.algorithms.includes(a) ? (
                      <NumberInput
                        label={t("form.epochsOf", { algorithm: t(`algorithms.${a}`) })}
                        min={1}
                        max={LIMITS.maxEpochs}
                        clampBehavior="none"
                        {...form.getInputProps(`algorithmEpochs.${a}`)}
                        data-testid={`field-epochs-${a}`}
                      />
                    ) : null}
                  </Stack>
                ))}
              </SimpleGrid>
            </Checkbox.Group>
            <Text size="xs" c="dimmed" mt={4}>
              {t("form.epochsHelp", { max: n(LIMITS.maxEpochs) })}
            </Text>
            {v.algorithms.includes("deephpm") ? (
              <Group mt="sm" align="end">
                <Checkbox.Group label={t("form.physicsInputs")} {...form.getInputProps("physicsInputs")}>
                  <Group>
                    {PHYSICS_INPUTS.map((p) => (
                      <Checkbox key={p} value={p} label={t(`form.physics.${p}`)} />
                    ))}
                  </Group>
                </Checkbox.Group>
                <Select
                  label={t("form.physicsLoss")}
                  data={[
                    { value: "sum", label: t("form.lossSum") },
                    { value: "adaptive", label: t("form.lossAdaptive") },
                  ]}
                  description={t("form.lossHelp")}
                  {...form.getInputProps("physicsLoss")}
                  allowDeselect={false}
                  w={340}
                />
                {v.physicsLoss === "sum"
                  ? num("physicsWeight", t("form.physicsWeight"), {
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
              {num("learningRate", null, { min: 1e-6, max: 0.1, step: 1e-4, decimalScale: 6 })}
              {num("inputNoise", t("form.inputNoise"), { min: 0, max: 1, step: 0.05, decimalScale: 2 })}
              {num("hiddenLayers", t("form.hiddenLayers"), { min: LIMITS.layers[0], max: LIMITS.layers[1] })}
              {num("hiddenWidth", t("form.hiddenWidth"), { min: LIMITS.width[0], max: LIMITS.width[1] })}
              {num("lstmLayers", null, { min: LIMITS.lstmLayers[0], max: LIMITS.lstmLayers[1] })}
              {num("lstmHidden", null, { min: LIMITS.lstmHidden[0], max: LIMITS.lstmHidden[1] })}
              {num("seed", null, { min: 0 })}
              {num("repeats", t("form.repeats"), { min: 1, max: LIMITS.maxRepeats })}
            </SimpleGrid>
            <Text size="xs" c="dimmed" mt="xs">
              {t("form.systemHelp", {
                mlp: SYSTEM_SETTINGS.batchSize.baseline,
                bilstm: SYSTEM_SETTINGS.batchSize.bilstm,
              })}
            </Text>
            <Text size="xs" c="dimmed">
              {t("form.noiseHelp")}
            </Text>
            <Select
              mt="sm"
              w={320}
              label={t("form.device")}
              description={t("form.deviceHelp", { count: gpus })}
              data={[
                { value: "any", label: t("form.deviceAny") },
                { value: "prefer_gpu", label: t("form.devicePrefer") },
                { value: "require_gpu", label: t("form.deviceRequire") },
              ]}
              allowDeselect={false}
              {...form.getInputProps("device")}
              data-testid="field-device"
            />
          </Card>
          {error ? (
            <Alert color="red" data-testid="train-error">
              {error}
            </Alert>
          ) : null}
          <Group>
            <Button type="submit" loading={create.isPending} data-testid="start-training">
              {t("form.start")}
            </Button>
            {quotas.data ? (
              <Text size="sm" c="dimmed" data-testid="quota-usage">
                {t("form.quota", {
                  used: n(quotas.data.activeJobs.used),
                  limit: n(quotas.data.activeJobs.limit),
                  adds: n(v.algorithms.length),
                  tflop: n(quotas.data.taskTflop.limit),
                })}
              </Text>
            ) : null}
          </Group>
        </Stack>
      </form>
    </Stack>
  );
}
