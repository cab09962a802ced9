import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { useForm } from "@mantine/form";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { trpc } from "../lib/trpc";
import { pageTitle } from "../lib/meta";
import { JobStatusBadge } from "../components/jobs";
import { useFormat } from "../lib/format";
import { QuotaLine } from "../components/quota-line";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import {
  EARLY_FEATURE_SETS,
  EARLY_LIFE_DEFAULTS,
  EARLY_MODEL_CHOICES,
  createEarlyLifeInput,
  type EarlyLifeInput,
} from "../../server/schemas/early-life";

const COLUMNS = ["task", "setModel", "status", "rmse", "mape"] as const;

export default function EarlyLifeHome() {
  const { t } = useTranslation(["earlyLife", "common"]);
  const { n } = useFormat();
  const navigate = useNavigate();
  const datasets = trpc.battery.listDatasets.useQuery();
  const list = trpc.earlyLife.list.useQuery(undefined, { refetchInterval: 3000 });
  const form = useForm<EarlyLifeInput>({
    initialValues: {
      name: t("defaultName", { date: new Date().toISOString().slice(0, 16).replace("T", " ") }),
      datasetId: 0,
      split: "severson",
      trainCells: [],
      testCells: [],
      featureSet: EARLY_LIFE_DEFAULTS.featureSet,
      model: EARLY_LIFE_DEFAULTS.model,
    },
    validate: zodValidate(createEarlyLifeInput),
  });
  const v = form.values;
  useEffect(() => {
    if (!v.datasetId && datasets.data?.length) form.setFieldValue("datasetId", datasets.data[0].id);
  }, [datasets.data]); // eslint-disable-line react-hooks/exhaustive-deps
  const cells = trpc.battery.listCells.useQuery({ datasetId: v.datasetId }, { enabled: v.datasetId > 0 });
  const cellOptions = useMemo(
    () =>
      (cells.data?.cells ?? []).map((c) => ({
        value: c.cellKey,
        label: t("cellOption", { key: c.cellKey, split: c.seversonSplit ? ` · ${c.seversonSplit}` : "" }),
      })),
    [cells.data, t],
  );
  const [error, setError] = useState<string | null>(null);
  const create = trpc.earlyLife.create.useMutation({
    onSuccess: (t) => navigate(`/battery/early-life/${t.id}`),
    onError: (e) => {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    },
  });

  return (
    <Stack>
      <Title order={2}>{t("title")}</Title>
      <Text size="sm" c="dimmed">
        {t("intro", { n: EARLY_LIFE_DEFAULTS.firstCycles })}
      </Text>
      <Card withBorder padding="md">
        <form
          onSubmit={form.onSubmit((values) => {
            setError(null);
            create.mutate(values);
          })}
        >
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput label={t("fields.name")} {...form.getInputProps("name")} data-testid="field-name" />
            <Select
              label={t("fields.dataset")}
              data={(datasets.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              value={v.datasetId ? String(v.datasetId) : null}
              onChange={(x) => form.setFieldValue("datasetId", Number(x))}
              error={form.errors.datasetId}
              allowDeselect={false}
              data-testid="field-datasetId"
            />
            <Select
              label={t("fields.cells")}
              data={[
                { value: "severson", label: t("splits.severson") },
                { value: "custom", label: t("splits.custom") },
              ]}
              {...form.getInputProps("split")}
              allowDeselect={false}
              data-testid="field-split"
            />
            <Select
              label={t("fields.featureSet")}
              data={EARLY_FEATURE_SETS.map((f) => ({
                value: f,
                label:
                  f === EARLY_LIFE_DEFAULTS.featureSet
                    ? t("withDefault", { label: t(`featureSets.${f}`) })
                    : t(`featureSets.${f}`),
              }))}
              {...form.getInputProps("featureSet")}
              allowDeselect={false}
              data-testid="field-featureSet"
            />
            <Select
              label={t("fields.model")}
              data={EARLY_MODEL_CHOICES.map((m) => ({
                value: m,
                label:
                  m === EARLY_LIFE_DEFAULTS.model ? t("withDefault", { label: t(`models.${m}`) }) : t(`models.${m}`),
              }))}
              {...form.getInputProps("model")}
              allowDeselect={false}
              data-testid="field-model"
            />
          </SimpleGrid>
          {v.split === "custom" ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
              <MultiSelect
                label={t("fields.trainCells")}
                data={cellOptions}
                searchable
                {...form.getInputProps("trainCells")}
                data-testid="field-trainCells"
              />
              <MultiSelect
                label={t("fields.testCells")}
                data={cellOptions}
                searchable
                {...form.getInputProps("testCells")}
                data-testid="field-testCells"
              />
            </SimpleGrid>
          ) : null}
          {error ? (
            <Alert color="red" mt="sm" data-testid="form-error">
              {error}
            </Alert>
          ) : null}
          <Group mt="md">
            <Button type="submit" loading={create.isPending} data-testid="submit-early-life">
              {t("submit")}
            </Button>
            <QuotaLine kind="jobs" />
          </Group>
        </form>
      </Card>
      <Card withBorder padding="md">
        <Title order={4} mb="xs">
          {t("yourTasks")}
        </Title>
        <Table striped data-testid="early-life-list">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((h) => (
                <Table.Th key={h}>{t(`columns.${h}`)}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((task) => (
              <Table.Tr key={task.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/battery/early-life/${task.id}`}>
                    {task.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {t(`featureSetsShort.${task.config.featureSet}`)} / {t(`modelsShort.${task.config.model}`)}
                </Table.Td>
                <Table.Td>
                  <JobStatusBadge status={task.status} size="sm" />
                </Table.Td>
                <Table.Td>
                  {task.scores
                    .map((s) => t("score", { group: s.name, value: n(s.rmse, { maximumFractionDigits: 0 }) }))
                    .join(" · ") || "–"}
                </Table.Td>
                <Table.Td>
                  {task.scores
                    .map((s) =>
                      t("scorePct", {
                        group: s.name,
                        value: n(100 * s.mape, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
                      }),
                    )
                    .join(" · ") || "–"}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {list.data?.length === 0 ? (
          <Text size="sm" c="dimmed" data-testid="early-life-empty">
            {t("noTasks")}
          </Text>
        ) : null}
      </Card>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "common:nav.batteryEarlyLife");
