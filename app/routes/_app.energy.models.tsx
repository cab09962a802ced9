import { useEffect, useState } from "react";
import { Link, useSearchParams } from "@remix-run/react";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  NumberInput,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { trpc } from "../lib/trpc";
import { QuotaLine } from "../components/quota-line";
import { zodValidate, serverFieldErrors } from "../lib/form-errors";
import { ComparisonTable, type ComparisonRow } from "../components/energy-models/comparison-table";
import { TrainingStatus } from "../components/energy-models/training-status";
import { JobStatusBadge } from "../components/jobs";
import { AutoCandidates, type AutoCandidate } from "../components/energy-models/auto-candidates";
import { NaiveBadge } from "../components/energy-models/naive-warning";
import { ConfirmButton } from "../components/confirm-button";
import { formatDateTime } from "../lib/dates";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import {
  DEFAULT_TRAINING,
  TRAIN_CHOICES,
  trainEnergyModelSchema,
  trainsWeights,
  type TrainChoice,
} from "../../server/services/energy/models-schema";
import { AUTO_BUDGET_SECONDS, forecastDefaults } from "../../server/services/energy/defaults";

export const meta = (args: MetaArgs) => pageTitle(args, "forecast:models.title");

export default function EnergyModels() {
  const { t } = useTranslation(["forecast", "common"]);
  const { n } = useFormat();
  const label = (kind: TrainChoice, id: number) => t("versionTitle", { kind: t(`kinds.${kind}`), id });
  const [params, setParams] = useSearchParams();
  const assets = trpc.energy.assets.list.useQuery();
  const assetId = Number(params.get("asset")) || assets.data?.find((a) => a.frequencySeconds)?.id || 0;
  const asset = assets.data?.find((a) => a.id === assetId);
  const derived = forecastDefaults(asset?.frequencySeconds ?? 900, asset?.pointCount ?? 35_040);
  const utils = trpc.useUtils();
  const versions = trpc.energyModels.list.useQuery(
    { assetId },
    {
      enabled: assetId > 0,
      refetchInterval: (q) =>
        q.state.data?.some((v) => v.status === "PENDING" || v.status === "RUNNING") ? 2000 : false,
    },
  );
  const compare = trpc.energyModels.compare.useQuery({ assetId }, { enabled: assetId > 0 });
  const train = trpc.energyModels.train.useMutation();
  const remove = trpc.energyModels.delete.useMutation({ onSuccess: () => utils.energyModels.invalidate() });
  const [watching, setWatching] = useState<{ jobId: number; title: string } | null>(null);

  const form = useForm({
    initialValues: {
      assetId,
      kind: "auto" as TrainChoice,
      lookback: derived.lookback,
      horizon: derived.horizon,
      epochs: undefined as number | undefined,
      learningRate: undefined as number | undefined,
      budgetSeconds: AUTO_BUDGET_SECONDS as number | undefined,
      seed: 0,
      quantiles: [0.1, 0.5, 0.9],
    },
    validate: zodValidate(trainEnergyModelSchema),
  });
  useEffect(() => {
    form.setValues({ assetId, lookback: derived.lookback, horizon: derived.horizon });
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [assetId, derived.lookback, derived.horizon]);
  const withWeights = trainsWeights(form.values.kind);
  const latestAuto = versions.data?.find((v) => v.status === "SUCCEEDED" && (v.config as { auto?: unknown }).auto);
  const readyCount = versions.data?.filter((v) => v.status === "SUCCEEDED").length ?? 0;
  useEffect(() => {
    void utils.energyModels.compare.invalidate();
  }, [readyCount, utils]);

  const submit = form.onSubmit(async (values) => {
    try {
      const v = await train.mutateAsync(values);
      setWatching(v.jobId ? { jobId: v.jobId, title: label(v.kind, v.id) } : null);
      await utils.energyModels.list.invalidate();
    } catch (e) {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(Object.keys(fields).length ? fields : { assetId: message });
    }
  });

  return (
    <Stack maw={1300}>
      <Title order={2}>{t("models.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("models.intro")}
      </Text>
      <Select
        label={t("models.asset")}
        data-testid="energy-models-asset"
        w={360}
        value={assetId ? String(assetId) : null}
        data={(assets.data ?? [])
          .filter((a) => a.frequencySeconds)
          .map((a) => ({ value: String(a.id), label: a.name }))}
        onChange={(v) => v && setParams({ asset: v })}
      />
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder>
          <form onSubmit={submit} data-testid="energy-train-form">
            <Stack gap="sm">
              <Select
                label={t("models.model")}
                data-testid="energy-train-kind"
                value={form.values.kind}
                allowDeselect={false}
                data={TRAIN_CHOICES.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
                onChange={(v) => {
                  const kind = (v ?? "auto") as TrainChoice;
                  const d = trainsWeights(kind)
                    ? DEFAULT_TRAINING[kind]
                    : { epochs: undefined, learningRate: undefined };
                  form.setValues({ kind, ...d, budgetSeconds: kind === "auto" ? AUTO_BUDGET_SECONDS : undefined });
                }}
              />
              {asset && (
                <Text size="xs" c="dimmed" data-testid="energy-train-derived">
                  {t("models.derived", {
                    season: derived.season,
                    lookback: derived.lookback,
                    horizon: derived.horizon,
                  })}
                </Text>
              )}
              <Group grow>
                <NumberInput
                  label={t("models.lookback")}
                  min={8}
                  data-testid="energy-train-lookback"
                  {...form.getInputProps("lookback")}
                />
                <NumberInput
                  label={t("models.horizon")}
                  min={1}
                  data-testid="energy-train-horizon"
                  {...form.getInputProps("horizon")}
                />
              </Group>
              <Group grow>
                {withWeights && (
                  <NumberInput
                    label={form.values.kind === "gbdt" ? t("models.rounds") : t("models.epochs")}
                    min={1}
                    data-testid="energy-train-epochs"
                    {...form.getInputProps("epochs")}
                  />
                )}
                {withWeights && (
                  <NumberInput
                    label={t("models.learningRate")}
                    decimalScale={5}
                    step={0.001}
                    min={0}
                    data-testid="energy-train-lr"
                    {...form.getInputProps("learningRate")}
                  />
                )}
                {form.values.kind === "auto" && (
                  <NumberInput
                    label={t("models.budget")}
                    min={10}
                    data-testid="energy-train-budget"
                    {...form.getInputProps("budgetSeconds")}
                  />
                )}
                <NumberInput label={t("models.seed")} min={0} {...form.getInputProps("seed")} />
              </Group>
              {form.errors.assetId && <Alert color="red">{form.errors.assetId}</Alert>}
              <Button type="submit" loading={train.isPending} disabled={!assetId} data-testid="energy-train-submit">
                {t("models.train")}
              </Button>
              <QuotaLine kind="jobs" />
            </Stack>
          </form>
        </Card>
        {watching ? (
          <TrainingStatus jobId={watching.jobId} title={watching.title} />
        ) : (
          <Card withBorder>
            <Text size="sm" c="dimmed">
              {t("models.progressHere")}
            </Text>
          </Card>
        )}
      </SimpleGrid>

      <Title order={4}>{t("models.comparisonTitle")}</Title>
      <ComparisonTable rows={(compare.data ?? []) as ComparisonRow[]} />
      {latestAuto && (
        <AutoCandidates
          versionId={latestAuto.id}
          candidates={(latestAuto.config as { auto: { candidates: AutoCandidate[] } }).auto.candidates}
          calibration={
            (latestAuto.config as { calibration?: { coverageBefore: number; coverageAfter: number; n: number } | null })
              .calibration
          }
        />
      )}

      <Title order={4}>{t("models.versionsTitle")}</Title>
      <Table data-testid="energy-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>{t("models.model")}</Table.Th>
            <Table.Th>{t("models.status")}</Table.Th>
            <Table.Th>MASE</Table.Th>
            <Table.Th>{t("models.created")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(versions.data ?? []).map((v) => (
            <Table.Tr key={v.id} data-testid="energy-version-row" data-status={v.status}>
              <Table.Td>{v.id}</Table.Td>
              <Table.Td>{t(`kinds.${v.kind}`)}</Table.Td>
              <Table.Td>
                <JobStatusBadge status={v.status} size="sm" />
                {v.error && (
                  <Text size="xs" c="red">
                    {v.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {n((v.metrics as { mase?: number } | null)?.mase, {
                  minimumFractionDigits: 3,
                  maximumFractionDigits: 3,
                })}{" "}
                <NaiveBadge metrics={v.metrics} />
              </Table.Td>
              <Table.Td>{formatDateTime(v.createdAt)}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {v.jobId && (v.status === "PENDING" || v.status === "RUNNING") && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setWatching({ jobId: v.jobId!, title: label(v.kind, v.id) })}
                    >
                      {t("models.watch")}
                    </Button>
                  )}
                  {v.status === "SUCCEEDED" && (
                    <Anchor
                      component={Link}
                      to={`/energy/forecast?version=${v.id}`}
                      size="sm"
                      data-testid="energy-version-forecast"
                    >
                      {t("models.forecast")}
                    </Anchor>
                  )}
                  <ConfirmButton
                    size="xs"
                    variant="subtle"
                    color="red"
                    testId="energy-version-delete"
                    title={t("models.deleteTitle", { id: v.id })}
                    message={t("models.deleteText")}
                    confirmLabel={t("models.deleteConfirm")}
                    onConfirm={() => remove.mutate({ id: v.id })}
                  >
                    {t("models.delete")}
                  </ConfirmButton>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
