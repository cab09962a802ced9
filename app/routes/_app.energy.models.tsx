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
import {
  DEFAULT_TRAINING,
  ENERGY_MODEL_LABELS,
  TRAIN_CHOICES,
  trainEnergyModelSchema,
  trainsWeights,
  type TrainChoice,
} from "../../server/services/energy/models-schema";
import { AUTO_BUDGET_SECONDS, forecastDefaults } from "../../server/services/energy/defaults";

export default function EnergyModels() {
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
      setWatching(v.jobId ? { jobId: v.jobId, title: `${ENERGY_MODEL_LABELS[v.kind]} #${v.id}` } : null);
      await utils.energyModels.list.invalidate();
    } catch (e) {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(Object.keys(fields).length ? fields : { assetId: message });
    }
  });

  return (
    <Stack maw={1300}>
      <Title order={2}>Energy models</Title>
      <Text size="sm" c="dimmed">
        Train forecasters of an asset (quantiles 0.1 / 0.5 / 0.9 with the pinball loss). The last 20 % of the series is
        held out and scored against a one-day seasonal-naive forecast (MASE &lt; 1 beats it). Every forecast runs the
        exported ONNX graph.
      </Text>
      <Select
        label="Asset"
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
                label="Model"
                data-testid="energy-train-kind"
                value={form.values.kind}
                allowDeselect={false}
                data={TRAIN_CHOICES.map((k) => ({ value: k, label: ENERGY_MODEL_LABELS[k] }))}
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
                  From the asset&apos;s frequency: one day = {derived.season} steps; lookback {derived.lookback} and
                  horizon {derived.horizon} steps by default.
                </Text>
              )}
              <Group grow>
                <NumberInput
                  label="Lookback L (steps)"
                  min={8}
                  data-testid="energy-train-lookback"
                  {...form.getInputProps("lookback")}
                />
                <NumberInput
                  label="Horizon H (steps)"
                  min={1}
                  data-testid="energy-train-horizon"
                  {...form.getInputProps("horizon")}
                />
              </Group>
              <Group grow>
                {withWeights && (
                  <NumberInput
                    label={form.values.kind === "gbdt" ? "Boosting rounds" : "Epochs"}
                    min={1}
                    data-testid="energy-train-epochs"
                    {...form.getInputProps("epochs")}
                  />
                )}
                {withWeights && (
                  <NumberInput
                    label="Learning rate"
                    decimalScale={5}
                    step={0.001}
                    min={0}
                    data-testid="energy-train-lr"
                    {...form.getInputProps("learningRate")}
                  />
                )}
                {form.values.kind === "auto" && (
                  <NumberInput
                    label="Time budget (s)"
                    min={10}
                    data-testid="energy-train-budget"
                    {...form.getInputProps("budgetSeconds")}
                  />
                )}
                <NumberInput label="Seed" min={0} {...form.getInputProps("seed")} />
              </Group>
              {form.errors.assetId && <Alert color="red">{form.errors.assetId}</Alert>}
              <Button type="submit" loading={train.isPending} disabled={!assetId} data-testid="energy-train-submit">
                Train
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
              Training progress appears here.
            </Text>
          </Card>
        )}
      </SimpleGrid>

      <Title order={4}>Comparison on the held-out tail</Title>
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

      <Title order={4}>Versions</Title>
      <Table data-testid="energy-versions">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>#</Table.Th>
            <Table.Th>Model</Table.Th>
            <Table.Th>Status</Table.Th>
            <Table.Th>MASE</Table.Th>
            <Table.Th>Created</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(versions.data ?? []).map((v) => (
            <Table.Tr key={v.id} data-testid="energy-version-row" data-status={v.status}>
              <Table.Td>{v.id}</Table.Td>
              <Table.Td>{ENERGY_MODEL_LABELS[v.kind]}</Table.Td>
              <Table.Td>
                <JobStatusBadge status={v.status} size="sm" />
                {v.error && (
                  <Text size="xs" c="red">
                    {v.error}
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                {typeof (v.metrics as { mase?: number } | null)?.mase === "number"
                  ? (v.metrics as { mase: number }).mase.toFixed(3)
                  : "—"}{" "}
                <NaiveBadge metrics={v.metrics} />
              </Table.Td>
              <Table.Td>{new Date(v.createdAt).toLocaleString()}</Table.Td>
              <Table.Td>
                <Group gap="xs">
                  {v.jobId && (v.status === "PENDING" || v.status === "RUNNING") && (
                    <Button
                      size="xs"
                      variant="subtle"
                      onClick={() => setWatching({ jobId: v.jobId!, title: `${ENERGY_MODEL_LABELS[v.kind]} #${v.id}` })}
                    >
                      Watch
                    </Button>
                  )}
                  {v.status === "SUCCEEDED" && (
                    <Anchor
                      component={Link}
                      to={`/energy/forecast?version=${v.id}`}
                      size="sm"
                      data-testid="energy-version-forecast"
                    >
                      Forecast
                    </Anchor>
                  )}
                  <Button size="xs" variant="subtle" color="red" onClick={() => remove.mutate({ id: v.id })}>
                    Delete
                  </Button>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}
