import { useEffect, useMemo } from "react";
import { json, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "@remix-run/react";
import { Alert, Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { useJobEvents } from "../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../components/jobs";
import { ConfirmButton } from "../components/confirm-button";
import { orNotFound, RouteErrorPage } from "../components/not-found";
import { pageTitle } from "../lib/meta";

export const meta = (args: MetaArgs) => pageTitle(args, "training:task.what");

/** Another user's task, or none: HTTP 404 and the not-found page (the data itself loads in the page). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Training task not found", { status: 404 });
  await orNotFound("Training task", () => context.trpc.training.get({ id }));
  return json({ id });
}

export function ErrorBoundary() {
  const { t } = useTranslation("training");
  return <RouteErrorPage what={t("task.what")} back={{ to: "/battery/tasks", label: t("task.back") }} />;
}
import {
  ComparisonTable,
  OverlaidCurves,
  RunCurves,
  epochPoints,
  historySummary,
  type EpochPoint,
} from "../components/training";
import { epochsOf, inputNoiseOf, targetsOf, type TaskConfig } from "../../server/schemas/training";
import { overallStatus, type OverallStatus, type TaskStatus } from "../../jobs/states";

export default function TrainingTaskPage() {
  const { t: tr } = useTranslation(["training", "common"]);
  const id = Number(useParams().id);
  const utils = trpc.useUtils();
  const task = trpc.training.get.useQuery({ id }, { enabled: Number.isFinite(id) });
  const live = useJobEvents(task.data ? { groupId: task.data.groupId } : null);
  const cancel = trpc.training.cancel.useMutation({ onSuccess: () => utils.training.get.invalidate({ id }) });

  // Refetch the task (results, versions) whenever a run's status changes.
  const statusKey = Object.entries(live.statusByJob)
    .map(([j, s]) => `${j}:${s}`)
    .join(",");
  useEffect(() => {
    if (statusKey) void utils.training.get.invalidate({ id });
  }, [statusKey, id, utils]);
  useEffect(() => {
    if (live.ended) void utils.training.get.invalidate({ id });
  }, [live.ended, id, utils]);

  const t = task.data;
  const cfg = t?.config as TaskConfig | undefined;
  const targets = cfg ? targetsOf(cfg.target) : ["pcl" as const];
  const labelOf = useMemo(() => {
    const m = new Map((t?.runs ?? []).map((r) => [r.jobId, tr(`algorithms.${r.algorithm}`)]));
    return (jobId: number) => m.get(jobId) ?? tr("task.job", { id: jobId });
  }, [t, tr]);

  if (task.error) return <Alert color="red">{task.error.message}</Alert>;
  if (!t || !cfg) return <Loader />;

  const statusOf = (r: (typeof t.runs)[number]): TaskStatus => (r.jobId && live.statusByJob[r.jobId]) || r.status;
  const statuses = t.runs.map(statusOf);
  const overall: OverallStatus = overallStatus(statuses);
  const active = statuses.some((s) => s === "RUNNING" || s === "PENDING");
  const finished = t.runs.filter((r) => r.result);
  // Each algorithm's own epochs: one figure when they agree, else per algorithm.
  const epochs = [...new Set(cfg.algorithms.map((a) => epochsOf(cfg, a)))];
  const epochText =
    epochs.length === 1
      ? String(epochs[0])
      : cfg.algorithms.map((a) => `${tr(`algorithms.${a}`)} ${epochsOf(cfg, a)}`).join(", ");

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t.name}</Title>
          <Text size="sm" c="dimmed" data-testid="task-summary">
            {tr("task.summary", {
              split: tr(`splits.${cfg.split}`),
              target: tr(`targets.${cfg.target}`),
              features: cfg.features.join(", "),
              epochs: epochText,
              lr: cfg.learningRate,
              noise: inputNoiseOf(cfg),
              seed: cfg.seed,
            })}
            {cfg.repeats > 1 ? tr("task.repeats", { count: cfg.repeats }) : ""}
            {tr("task.horizon", { horizon: cfg.horizon })}
            {historySummary(tr, cfg)}
            {cfg.algorithms.includes("deephpm")
              ? tr("task.deephpm", {
                  inputs: cfg.physicsInputs.join(", "),
                  loss: cfg.physicsLoss === "sum" ? tr("form.lossSum") : tr("form.lossAdaptive"),
                }) + (cfg.physicsLoss === "sum" ? tr("task.physicsWeight", { weight: cfg.physicsWeight ?? 1 }) : "")
              : ""}
          </Text>
        </div>
        <Group>
          <Text size="sm">{tr("task.taskStatus")}</Text>
          <span data-testid="task-status" data-status={overall}>
            <JobStatusBadge status={overall} size="lg" />
          </span>
          <ConfirmButton
            color="red"
            variant="light"
            disabled={!active}
            loading={cancel.isPending}
            testId="cancel-task"
            title={tr("task.cancelTaskTitle", { name: t.name })}
            message={tr("task.cancelTaskText")}
            confirmLabel={tr("task.cancelTask")}
            onConfirm={() => cancel.mutate({ id })}
          >
            {tr("task.cancelTask")}
          </ConfirmButton>
          <Anchor component={Link} to="/battery/models">
            {tr("nav.models")}
          </Anchor>
        </Group>
      </Group>
      {live.error ? <Alert color="orange">{tr("task.liveError", { error: live.error })}</Alert> : null}
      {t.waitingForGpu ? (
        <Alert color="grape" data-testid="waiting-for-gpu">
          {tr("task.waitingForGpu")}
        </Alert>
      ) : null}

      <SimpleGrid cols={{ base: 1, lg: Math.min(3, t.runs.length) }}>
        {t.runs.map((r) => {
          const s = statusOf(r);
          const stream = r.jobId ? epochPoints(live.metrics, r.jobId) : null;
          const fromResult = ((r.result as { history?: EpochPoint[] } | null)?.history ?? []) as EpochPoint[];
          const points = stream && stream.points.length ? stream.points : fromResult;
          const progress = r.jobId ? live.progressByJob[r.jobId] : undefined;
          const total = epochsOf(cfg, r.algorithm) * cfg.repeats;
          const algorithm = tr(`algorithms.${r.algorithm}`);
          const done = progress?.done ?? (s === "SUCCEEDED" ? total : 0);
          return (
            <Card key={r.id} withBorder data-testid={`run-${r.algorithm}`} data-status={s}>
              <Group justify="space-between" mb="xs">
                <Text fw={600}>{algorithm}</Text>
                <Group gap="xs">
                  <JobStatusBadge status={s} />
                  <ConfirmButton
                    size="compact-xs"
                    color="red"
                    variant="subtle"
                    disabled={!(s === "RUNNING" || s === "PENDING")}
                    testId={`cancel-${r.algorithm}`}
                    title={tr("task.cancelRunTitle", { algorithm })}
                    message={tr("task.cancelRunText", { algorithm })}
                    confirmLabel={tr("task.cancelRun", { algorithm })}
                    onConfirm={() => cancel.mutate({ id, runId: r.id })}
                  >
                    {tr("task.cancel")}
                  </ConfirmButton>
                </Group>
              </Group>
              <JobProgress
                done={done}
                total={total}
                status={s}
                label={
                  cfg.repeats > 1 ? tr("task.epochsProgressSeeds", { count: cfg.repeats }) : tr("task.epochsProgress")
                }
              />
              {r.error && s !== "SUCCEEDED" ? (
                <Text size="xs" c="red" mt={4}>
                  {r.error}
                </Text>
              ) : null}
              <div style={{ marginTop: 8 }}>
                <RunCurves
                  points={points}
                  target={targets[0]}
                  algorithm={r.algorithm}
                  caption={
                    stream && stream.repeats > 1 && stream.seed !== null
                      ? tr("task.seedCaption", {
                          seed: stream.seed,
                          index: stream.seedIndex + 1,
                          count: stream.repeats,
                        })
                      : undefined
                  }
                />
              </div>
              {r.versionId ? (
                <Group gap={6} mt="xs">
                  <Badge
                    color="teal"
                    variant="light"
                    title={tr("models.idTitle", { id: r.versionId })}
                    data-testid={`version-${r.algorithm}`}
                  >
                    {tr("task.version", { number: r.versionNumber ? `v${r.versionNumber}` : `#${r.versionId}` })}
                  </Badge>
                  <Anchor
                    component={Link}
                    to={`/battery/models?highlight=${r.versionId}`}
                    size="sm"
                    data-testid={`version-link-${r.algorithm}`}
                  >
                    {tr("task.openInLibrary")}
                  </Anchor>
                </Group>
              ) : null}
            </Card>
          );
        })}
      </SimpleGrid>

      {finished.length ? (
        <Card withBorder data-testid="results">
          <Title order={4} mb="sm">
            {tr("task.results")}
          </Title>
          <ComparisonTable runs={t.runs} targets={targets} repeats={cfg.repeats} taskName={t.name} />
          <Title order={5} mt="md" mb="xs">
            {tr("task.overlaid")}
          </Title>
          <OverlaidCurves
            histories={finished.map((r) => ({
              algorithm: r.algorithm,
              history: ((r.result as { history?: EpochPoint[] }).history ?? []) as EpochPoint[],
            }))}
          />
        </Card>
      ) : null}

      <Card withBorder>
        <Title order={4} mb="xs">
          {tr("task.log")}
        </Title>
        <JobLogPanel events={live.events} jobLabel={labelOf} height={240} />
      </Card>
    </Stack>
  );
}
