import { useEffect, useMemo, useState } from "react";
import { useNavigate } from "@remix-run/react";
import {
  Alert,
  Button,
  Checkbox,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { trpc } from "../../lib/trpc";
import { QuotaLine } from "../quota-line";
import { zodValidate, serverFieldErrors } from "../../lib/form-errors";
import { createTestJobInput, type CreateTestJobInput, type TestTarget } from "../../../server/schemas/testing";

type Values = {
  name: string;
  versionId: number;
  datasetId: number;
  cellKeys: string[];
  preset: string | undefined;
  targets: TestTarget[];
  horizon: number | undefined;
};

/** The form of a test job: a model version, a data source (built-in cells with presets, or an upload), targets, horizon. */
export function CreateTestJobForm({ initialVersionId }: { initialVersionId?: number }) {
  const navigate = useNavigate();
  const versions = trpc.models.list.useQuery();
  const datasets = trpc.battery.listDatasets.useQuery();
  const builtin = datasets.data?.find((d) => d.builtin);
  const uploads = datasets.data?.filter((d) => !d.builtin) ?? [];
  const [source, setSource] = useState<"builtin" | "upload">("builtin");
  const [message, setMessage] = useState<string | null>(null);
  const create = trpc.testJobs.create.useMutation();
  const form = useForm<Values>({
    initialValues: {
      name: "",
      versionId: initialVersionId ?? 0,
      datasetId: 0,
      cellKeys: [],
      preset: undefined,
      targets: [],
      horizon: undefined,
    },
    validate: zodValidate<Values>(createTestJobInput),
  });
  const datasetId = form.values.datasetId;
  const presets = trpc.battery.presets.useQuery({ datasetId }, { enabled: source === "builtin" && datasetId > 0 });
  const cells = trpc.battery.listCells.useQuery({ datasetId }, { enabled: source === "builtin" && datasetId > 0 });
  const version = versions.data?.find((v) => v.id === form.values.versionId);
  const predicts: TestTarget[] = version ? (version.target === "both" ? ["pcl", "rul"] : [version.target]) : [];

  useEffect(() => {
    if (source === "builtin" && builtin && form.values.datasetId !== builtin.id)
      form.setFieldValue("datasetId", builtin.id);
    if (source === "upload") form.setFieldValue("datasetId", uploads[0]?.id ?? 0);
    form.setFieldValue("cellKeys", []);
    form.setFieldValue("preset", undefined);
  }, [source, builtin?.id]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (version) form.setFieldValue("targets", predicts);
  }, [version?.id]); // eslint-disable-line react-hooks/exhaustive-deps

  const cellOptions = useMemo(
    () =>
      (cells.data?.cells ?? []).map((c) => ({
        value: c.cellKey,
        label: `${c.cellKey}${c.seversonSplit ? ` · ${c.seversonSplit}` : ""}`,
      })),
    [cells.data],
  );

  async function submit(values: Values) {
    setMessage(null);
    try {
      const input: CreateTestJobInput = {
        ...values,
        name: values.name || undefined,
        horizon: values.horizon === undefined || (values.horizon as unknown) === "" ? undefined : values.horizon,
      };
      const r = await create.mutateAsync(input);
      navigate(`/battery/tests/${r.id}`);
    } catch (e) {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setMessage(message);
    }
  }

  return (
    <form onSubmit={form.onSubmit(submit)} data-testid="test-form">
      <Stack>
        <Select
          label="Model version"
          placeholder={versions.data?.length ? "Choose a trained version" : "No model versions yet: train one first"}
          data={(versions.data ?? []).map((v) => ({ value: String(v.id), label: `#${v.id} ${v.name} (${v.target})` }))}
          value={form.values.versionId ? String(form.values.versionId) : null}
          onChange={(v) => form.setFieldValue("versionId", v ? Number(v) : 0)}
          error={form.errors.versionId}
          searchable
          data-testid="field-version"
        />
        {version ? (
          <Text size="xs" c="dimmed">
            {version.algorithm} · features {version.features.join(", ")} · trained on {version.datasetName}
          </Text>
        ) : null}
        <SegmentedControl
          value={source}
          onChange={(v) => setSource(v as "builtin" | "upload")}
          data={[
            { value: "builtin", label: "Built-in cells" },
            { value: "upload", label: "My upload" },
          ]}
          data-testid="field-source"
        />
        {source === "builtin" ? (
          <>
            <Select
              label="Preset"
              placeholder="Pick a preset or choose cells below"
              // The count is the cells the preset fills in: a Wen case's test cells only (its training cells were seen in training).
              data={(presets.data ?? []).map((p) => ({
                value: p.key,
                label: p.roles?.test.length
                  ? `${p.label}: test cells (${p.roles.test.length})`
                  : `${p.label} (${p.cellKeys.length})`,
              }))}
              value={form.values.preset ?? null}
              onChange={(key) => {
                const p = presets.data?.find((x) => x.key === key);
                form.setFieldValue("preset", p?.key);
                form.setFieldValue("cellKeys", p ? (p.roles?.test.length ? p.roles.test : p.cellKeys) : []);
              }}
              clearable
              data-testid="field-preset"
            />
            <MultiSelect
              label="Cells"
              data={cellOptions}
              value={form.values.cellKeys}
              onChange={(v) => {
                form.setFieldValue("cellKeys", v);
                form.setFieldValue("preset", undefined);
              }}
              error={form.errors.cellKeys}
              searchable
              maxDropdownHeight={240}
              data-testid="field-cells"
            />
          </>
        ) : (
          <Select
            label="Upload"
            placeholder={uploads.length ? "Choose an upload" : "No uploads yet"}
            data={uploads.map((d) => ({ value: String(d.id), label: `${d.name} (${d.cellCount} cells)` }))}
            value={form.values.datasetId ? String(form.values.datasetId) : null}
            onChange={(v) => form.setFieldValue("datasetId", v ? Number(v) : 0)}
            error={form.errors.datasetId}
            data-testid="field-upload"
          />
        )}
        {source === "builtin" && form.errors.datasetId ? (
          <Text c="red" size="sm">
            {form.errors.datasetId}
          </Text>
        ) : null}
        <Checkbox.Group
          label="Targets"
          value={form.values.targets}
          onChange={(v) => form.setFieldValue("targets", v as TestTarget[])}
          error={form.errors.targets}
        >
          <Group mt={4}>
            {(["pcl", "rul"] as const).map((t) => (
              <Checkbox
                key={t}
                value={t}
                label={t.toUpperCase()}
                disabled={!predicts.includes(t)}
                data-testid={`field-target-${t}`}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow>
          <NumberInput
            label="Horizon (cycles ahead)"
            placeholder={version ? "the version's" : ""}
            min={0}
            value={form.values.horizon ?? ""}
            onChange={(v) => form.setFieldValue("horizon", typeof v === "number" ? v : undefined)}
            error={form.errors.horizon}
          />
          <TextInput label="Name (optional)" {...form.getInputProps("name")} />
        </Group>
        {message ? (
          <Alert color="red" data-testid="form-error">
            {message}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="submit-test">
            Run test
          </Button>
          <QuotaLine kind="jobs" />
        </Group>
      </Stack>
    </form>
  );
}
