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
import { useTranslation } from "react-i18next";
import { trpc } from "../../lib/trpc";
import { QuotaLine } from "../quota-line";
import { useVersionNumbers } from "../../lib/version-numbers";
import { zodValidate, serverFieldErrors } from "../../lib/form-errors";
import {
  TEST_TARGETS,
  createTestJobInput,
  type CreateTestJobInput,
  type TestTarget,
} from "../../../server/schemas/testing";

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
  const { t, i18n } = useTranslation(["testing", "training"]);
  const navigate = useNavigate();
  // The user's own version numbers (v1, v2 …), as in the model library, never the database id.
  const versionNo = useVersionNumbers();
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
        // The XLSX export is written in the language this page shows.
        locale: i18n.language === "zh-CN" ? "zh-CN" : "en",
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
          label={t("form.version")}
          placeholder={versions.data?.length ? t("form.versionPlaceholder") : t("form.noVersions")}
          data={(versions.data ?? []).map((v) => ({
            value: String(v.id),
            label: t("form.versionOption", {
              number: versionNo(v.id),
              name: v.name,
              target: t(`training:targets.${v.target}`),
            }),
          }))}
          value={form.values.versionId ? String(form.values.versionId) : null}
          onChange={(v) => form.setFieldValue("versionId", v ? Number(v) : 0)}
          error={form.errors.versionId}
          searchable
          data-testid="field-version"
        />
        {version ? (
          <Text size="xs" c="dimmed">
            {t("form.versionInfo", {
              algorithm: t(`training:algorithms.${version.algorithm}`),
              features: version.features.join(", "),
              dataset: version.datasetName,
            })}
          </Text>
        ) : null}
        <SegmentedControl
          value={source}
          onChange={(v) => setSource(v as "builtin" | "upload")}
          data={[
            { value: "builtin", label: t("form.builtin") },
            { value: "upload", label: t("form.upload") },
          ]}
          data-testid="field-source"
        />
        {source === "builtin" ? (
          <>
            <Select
              label={t("form.preset")}
              placeholder={t("form.presetPlaceholder")}
              // The count is the cells the preset fills in: a Wen case's test cells only (its training cells were seen in training).
              data={(presets.data ?? []).map((p) => ({
                value: p.key,
                label: p.roles?.test.length
                  ? t("form.presetTest", { label: p.label, count: p.roles.test.length })
                  : t("form.presetAll", { label: p.label, count: p.cellKeys.length }),
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
              label={t("form.cells")}
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
            label={t("form.uploadLabel")}
            placeholder={uploads.length ? t("form.uploadPlaceholder") : t("form.noUploads")}
            data={uploads.map((d) => ({
              value: String(d.id),
              label: t("form.uploadOption", { name: d.name, count: d.cellCount }),
            }))}
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
          label={t("form.targets")}
          value={form.values.targets}
          onChange={(v) => form.setFieldValue("targets", v as TestTarget[])}
          error={form.errors.targets}
        >
          <Group mt={4}>
            {TEST_TARGETS.map((k) => (
              <Checkbox
                key={k}
                value={k}
                label={t(`training:targets.${k}`)}
                disabled={!predicts.includes(k)}
                data-testid={`field-target-${k}`}
              />
            ))}
          </Group>
        </Checkbox.Group>
        <Group grow>
          <NumberInput
            label={t("form.horizon")}
            placeholder={version ? t("form.horizonPlaceholder") : ""}
            min={0}
            value={form.values.horizon ?? ""}
            onChange={(v) => form.setFieldValue("horizon", typeof v === "number" ? v : undefined)}
            error={form.errors.horizon}
          />
          <TextInput label={t("form.name")} {...form.getInputProps("name")} />
        </Group>
        {message ? (
          <Alert color="red" data-testid="form-error">
            {message}
          </Alert>
        ) : null}
        <Group>
          <Button type="submit" loading={create.isPending} data-testid="submit-test">
            {t("form.submit")}
          </Button>
          <QuotaLine kind="jobs" />
        </Group>
      </Stack>
    </form>
  );
}
