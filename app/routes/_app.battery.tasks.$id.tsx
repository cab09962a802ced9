import { useEffect, useMemo } from "react";
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useParams } from "@remix-run/react";
import { Alert, Anchor, Badge, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { useJobEvents } from "../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../components/jobs";
import { ConfirmButton } from "../components/confirm-button";
import { orNotFound, RouteErrorPage } from "../components/not-found";

/** Another user's task, or none: HTTP 404 and the not-found page (the data itself loads in the page). */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Training task not found", { status: 404 });
  await orNotFound("Training task", () => context.trpc.training.get({ id }));
  return json({ id });
}

export function ErrorBoundary() {
  return <RouteErrorPage what="Training task" back={{ to: "/battery/tasks", label: "Back to training tasks" }} />;
}
import {
  ComparisonTable,
  OverlaidCurves,
  RunCurves,
  epochPoints,
  historySummary,
  type EpochPoint,
} from "../components/training";
import {
  ALGORITHM_LABELS,
  SPLIT_LABELS,
  inputNoiseOf,
  targetsOf,
  type TaskConfig,
} from "../../server/schemas/training";
import { overallStatus, type OverallStatus, type TaskStatus } from "../../jobs/states";

export default function TrainingTaskPage() {
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
    const m = new Map((t?.runs ?? []).map((r) => [r.jobId, ALGORITHM_LABELS[r.algorithm]]));
    return (jobId: number) => m.get(jobId) ?? `job ${jobId}`;
  }, [t]);

  if (task.error) return <Alert color="red">{task.error.message}</Alert>;
  if (!t || !cfg) return <Loader />;

  const statusOf = (r: (typeof t.runs)[number]): TaskStatus => (r.jobId && live.statusByJob[r.jobId]) || r.status;
  const statuses = t.runs.map(statusOf);
  const overall: OverallStatus = overallStatus(statuses);
  const active = statuses.some((s) => s === "RUNNING" || s === "PENDING");
  const finished = t.runs.filter((r) => r.result);

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>{t.name}</Title>
          <Text size="sm" c="dimmed">
            {SPLIT_LABELS[cfg.split]} · target {cfg.target.toUpperCase()} · features {cfg.features.join(", ")} ·{" "}
            {cfg.epochs} epochs · lr {cfg.learningRate} · input noise σ {inputNoiseOf(cfg)} · seed {cfg.seed}
            {cfg.repeats > 1 ? ` (${cfg.repeats} repeats)` : ""} · horizon {cfg.horizon}
            {historySummary(cfg)}
            {cfg.algorithms.includes("deephpm")
              ? ` · DeepHPM G[${cfg.physicsInputs.join(", ")}], ${cfg.physicsLoss} loss${cfg.physicsLoss === "sum" ? `, physics weight ${cfg.physicsWeight ?? 1}` : ""}`
              : ""}
          </Text>
        </div>
        <Group>
          <Text size="sm">Task:</Text>
          <span data-testid="task-status" data-status={overall}>
            <JobStatusBadge status={overall} size="lg" />
          </span>
          <ConfirmButton
            color="red"
            variant="light"
            disabled={!active}
            loading={cancel.isPending}
            testId="cancel-task"
            title={`Cancel task "${t.name}"?`}
            message="Every algorithm still waiting or training stops and stores no version. Algorithms that already finished keep their versions."
            confirmLabel="Cancel task"
            onConfirm={() => cancel.mutate({ id })}
          >
            Cancel task
          </ConfirmButton>
          <Anchor component={Link} to="/battery/models">
            Model library
          </Anchor>
        </Group>
      </Group>
      {live.error ? <Alert color="orange">Live updates: {live.error}</Alert> : null}

      <SimpleGrid cols={{ base: 1, lg: Math.min(3, t.runs.length) }}>
        {t.runs.map((r) => {
          const s = statusOf(r);
          const stream = r.jobId ? epochPoints(live.metrics, r.jobId) : null;
          const fromResult = ((r.result as { history?: EpochPoint[] } | null)?.history ?? []) as EpochPoint[];
          const points = stream && stream.points.length ? stream.points : fromResult;
          const progress = r.jobId ? live.progressByJob[r.jobId] : undefined;
          const total = cfg.epochs * cfg.repeats;
          const done = progress?.done ?? (s === "SUCCEEDED" ? total : 0);
          return (
            <Card key={r.id} withBorder data-testid={`run-${r.algorithm}`} data-status={s}>
              <Group justify="space-between" mb="xs">
                <Text fw={600}>{ALGORITHM_LABELS[r.algorithm]}</Text>
                <Group gap="xs">
                  <JobStatusBadge status={s} />
                  <ConfirmButton
                    size="compact-xs"
                    color="red"
                    variant="subtle"
                    disabled={!(s === "RUNNING" || s === "PENDING")}
                    testId={`cancel-${r.algorithm}`}
                    title={`Cancel ${ALGORITHM_LABELS[r.algorithm]}?`}
                    message={`${ALGORITHM_LABELS[r.algorithm]} stops and stores no version; the other algorithms of this task go on.`}
                    confirmLabel={`Cancel ${ALGORITHM_LABELS[r.algorithm]}`}
                    onConfirm={() => cancel.mutate({ id, runId: r.id })}
                  >
                    Cancel
                  </ConfirmButton>
                </Group>
              </Group>
              <JobProgress
                done={done}
                total={total}
                status={s}
                label={cfg.repeats > 1 ? `Epochs (all ${cfg.repeats} seeds)` : "Epochs"}
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
                      ? `Seed ${stream.seed} (${stream.seedIndex + 1} of ${stream.repeats}).`
                      : undefined
                  }
                />
              </div>
              {r.versionId ? (
                <Group gap={6} mt="xs">
                  <Badge
                    color="teal"
                    variant="light"
                    title={`id ${r.versionId}`}
                    data-testid={`version-${r.algorithm}`}
                  >
                    version {r.versionNumber ? `v${r.versionNumber}` : `#${r.versionId}`}
                  </Badge>
                  <Anchor
                    component={Link}
                    to={`/battery/models?highlight=${r.versionId}`}
                    size="sm"
                    data-testid={`version-link-${r.algorithm}`}
                  >
                    open in library
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
            Results
          </Title>
          <ComparisonTable runs={t.runs} targets={targets} repeats={cfg.repeats} taskName={t.name} />
          <Title order={5} mt="md" mb="xs">
            Train / validation loss, kept seed of each algorithm
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
          Log
        </Title>
        <JobLogPanel events={live.events} jobLabel={labelOf} height={240} />
      </Card>
    </Stack>
  );
}
