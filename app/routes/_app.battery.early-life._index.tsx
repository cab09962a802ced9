import { useEffect, useMemo, useState } from "react";
import { Link, useNavigate } from "@remix-run/react";
import { useForm } from "@mantine/form";
import {
  Alert,
  Anchor,
  Badge,
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
import { trpc } from "../lib/trpc";
import { QuotaLine } from "../components/quota-line";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import {
  EARLY_FEATURE_SETS,
  EARLY_FEATURE_SET_LABELS,
  EARLY_LIFE_DEFAULTS,
  EARLY_MODEL_CHOICES,
  EARLY_MODEL_LABELS,
  createEarlyLifeInput,
  type EarlyLifeInput,
} from "../../server/schemas/early-life";

export default function EarlyLifeHome() {
  const navigate = useNavigate();
  const datasets = trpc.battery.listDatasets.useQuery();
  const list = trpc.earlyLife.list.useQuery(undefined, { refetchInterval: 3000 });
  const form = useForm<EarlyLifeInput>({
    initialValues: {
      name: `Early-life ${new Date().toISOString().slice(0, 16).replace("T", " ")}`,
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
        label: `Cell ${c.cellKey}${c.seversonSplit ? ` · ${c.seversonSplit}` : ""}`,
      })),
    [cells.data],
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
      <Title order={2}>Early-life cycle-life prediction</Title>
      <Text size="sm" c="dimmed">
        From each cell&apos;s first {EARLY_LIFE_DEFAULTS.firstCycles} cycles, predict how many cycles it will last (to
        80 % of nominal capacity), as in Severson et al. (Nature Energy, 2019). The features come from the first{" "}
        {EARLY_LIFE_DEFAULTS.firstCycles} cycles only — the change of the discharge curve between cycles 10 and 100
        (ΔQ₁₀₀₋₁₀), early capacity, charge time, temperature, resistance and dQ/dV — and a linear model of log cycle
        life is fitted on the training cells. The elastic net chooses its regularisation by leave-one-cell-out
        cross-validation on the training cells only. The defaults are the settings the benchmark reports
        (bench/results/generalise-early-life.md).
      </Text>
      <Card withBorder padding="md">
        <form
          onSubmit={form.onSubmit((values) => {
            setError(null);
            create.mutate(values);
          })}
        >
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <TextInput label="Name" {...form.getInputProps("name")} data-testid="field-name" />
            <Select
              label="Dataset"
              data={(datasets.data ?? []).map((d) => ({ value: String(d.id), label: d.name }))}
              value={v.datasetId ? String(v.datasetId) : null}
              onChange={(x) => form.setFieldValue("datasetId", Number(x))}
              error={form.errors.datasetId}
              allowDeselect={false}
              data-testid="field-datasetId"
            />
            <Select
              label="Cells"
              data={[
                { value: "severson", label: "Severson: train primary_train → test primary_test and secondary_test" },
                { value: "custom", label: "Choose training and test cells" },
              ]}
              {...form.getInputProps("split")}
              allowDeselect={false}
              data-testid="field-split"
            />
            <Select
              label="Feature set"
              data={EARLY_FEATURE_SETS.map((f) => ({
                value: f,
                label: `${EARLY_FEATURE_SET_LABELS[f]}${f === EARLY_LIFE_DEFAULTS.featureSet ? " (default)" : ""}`,
              }))}
              {...form.getInputProps("featureSet")}
              allowDeselect={false}
              data-testid="field-featureSet"
            />
            <Select
              label="Model"
              data={EARLY_MODEL_CHOICES.map((m) => ({ value: m, label: EARLY_MODEL_LABELS[m] }))}
              {...form.getInputProps("model")}
              allowDeselect={false}
              data-testid="field-model"
            />
          </SimpleGrid>
          {v.split === "custom" ? (
            <SimpleGrid cols={{ base: 1, md: 2 }} mt="sm">
              <MultiSelect
                label="Training cells (at least 5)"
                data={cellOptions}
                searchable
                {...form.getInputProps("trainCells")}
                data-testid="field-trainCells"
              />
              <MultiSelect
                label="Test cells"
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
              Start prediction task
            </Button>
            <QuotaLine kind="jobs" />
          </Group>
        </form>
      </Card>
      <Card withBorder padding="md">
        <Title order={4} mb="xs">
          Your early-life tasks
        </Title>
        <Table striped data-testid="early-life-list">
          <Table.Thead>
            <Table.Tr>
              {["Task", "Feature set / model", "Status", "RMSE (cycles)", "MAPE"].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(list.data ?? []).map((t) => (
              <Table.Tr key={t.id}>
                <Table.Td>
                  <Anchor component={Link} to={`/battery/early-life/${t.id}`}>
                    {t.name}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  {t.config.featureSet} / {t.config.model}
                </Table.Td>
                <Table.Td>
                  <Badge variant="light">{t.status}</Badge>
                </Table.Td>
                <Table.Td>{t.scores.map((s) => `${s.name} ${s.rmse.toFixed(0)}`).join(" · ") || "–"}</Table.Td>
                <Table.Td>
                  {t.scores.map((s) => `${s.name} ${(100 * s.mape).toFixed(1)} %`).join(" · ") || "–"}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Card>
    </Stack>
  );
}

export function meta() {
  return [{ title: "Early-life prediction · Battery Lab · VoltLab" }];
}
