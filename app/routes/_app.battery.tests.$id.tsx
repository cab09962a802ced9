import { json, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../lib/meta";
import { useFormat } from "../lib/format";
import { useVersionNumbers } from "../lib/version-numbers";
import { Link, useLoaderData } from "@remix-run/react";
import { useEffect, useState } from "react";
import { Alert, Anchor, Button, Card, Grid, Group, SegmentedControl, Select, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { useJobEvents } from "../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../components/jobs";
import { MetricCards } from "../components/testing/metric-cards";
import { CellCharts } from "../components/testing/cell-charts";
import { CellErrorBars, ResidualBoxPlot, ResidualHistogram } from "../components/testing/residual-charts";
import { CellTable } from "../components/testing/cell-table";
import { fmtMetric } from "../components/testing/format";
import { ConfirmButton } from "../components/confirm-button";
import type { TestTarget } from "../../server/schemas/testing";
import type { Algorithm } from "../../server/schemas/training";
import { RouteErrorPage } from "../components/not-found";

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Test job not found", { status: 404 });
  try {
    return json({ id, initial: await context.trpc.testJobs.get({ id }) });
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") throw new Response("Test job not found", { status: 404 });
    throw e;
  }
}

const FINAL = ["SUCCEEDED", "FAILED", "CANCELED"];

export default function BatteryTestJob() {
  const { t: tr } = useTranslation(["testing", "training"]);
  const { n } = useFormat();
  const versionNo = useVersionNumbers();
  const { id, initial } = useLoaderData<typeof loader>();
  const utils = trpc.useUtils();
  const job = trpc.testJobs.get.useQuery({ id }, { initialData: initial as never });
  const t = job.data!;
  const live = useJobEvents(t.jobId && !FINAL.includes(t.status) ? { jobId: t.jobId } : null);
  const liveStatus = live.status ?? t.status;
  useEffect(() => {
    if (live.status && FINAL.includes(live.status)) void utils.testJobs.get.invalidate({ id });
  }, [live.status]); // eslint-disable-line react-hooks/exhaustive-deps
  const cancel = trpc.testJobs.cancel.useMutation({ onSuccess: () => utils.testJobs.get.invalidate({ id }) });
  const progress = t.jobId ? live.progressByJob[t.jobId] : undefined;
  const [target, setTarget] = useState<TestTarget>(t.config.targets[0]);
  const result = t.result;
  const [cell, setCell] = useState<string | null>(null);
  const cellKey = cell ?? result?.cells.find((c) => c.n > 0)?.cellKey ?? null;
  const cellData = trpc.testJobs.cell.useQuery(
    { id, cellKey: cellKey ?? "", maxPoints: 1200 },
    { enabled: !!result && !!cellKey },
  );
  const residuals = trpc.testJobs.residuals.useQuery({ id, target, bins: 40 }, { enabled: !!result });
  const running = progress?.running as Record<string, { rmspe: number; rmse: number }> | undefined;

  return (
    <Stack maw={1400}>
      <Anchor component={Link} to="/battery/tests" size="sm">
        {tr("job.backLink")}
      </Anchor>
      <Group justify="space-between">
        <Group>
          <Title order={2} data-testid="test-title">
            {t.name}
          </Title>
          <span data-testid="test-status">
            <JobStatusBadge status={result ? t.status : liveStatus} />
          </span>
        </Group>
        <Group>
          {!FINAL.includes(t.status) ? (
            <ConfirmButton
              variant="light"
              color="red"
              loading={cancel.isPending}
              testId="cancel-test"
              title={tr("job.cancelTitle", { name: t.name })}
              message={tr("job.cancelText")}
              confirmLabel={tr("job.cancelConfirm")}
              onConfirm={() => cancel.mutate({ id })}
            >
              {tr("job.cancel")}
            </ConfirmButton>
          ) : null}
          {result ? (
            <>
              <Button
                component="a"
                href={`/api/exports/${id}/result.csv`}
                download
                variant="light"
                data-testid="download-csv"
              >
                CSV
              </Button>
              <Button
                component="a"
                href={`/api/exports/${id}/result.xlsx`}
                download
                variant="light"
                data-testid="download-xlsx"
              >
                XLSX
              </Button>
              <Button component={Link} to={`/battery/tests/${id}/report`} variant="subtle" data-testid="open-report">
                {tr("job.report")}
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
      <Text size="sm" c="dimmed" data-testid="test-summary">
        {tr("job.summary", {
          version: versionNo(t.config.versionId),
          name: t.config.version.name,
          algorithm: tr(`training:algorithms.${t.config.version.algorithm as Algorithm}`),
          dataset: t.config.datasetName,
        })}
        {t.config.preset ? tr("job.preset", { preset: t.config.preset }) : ""}
        {tr("job.summaryTail", {
          count: t.config.cellKeys.length,
          horizon: t.config.horizon,
          targets: t.config.targets.map((k) => tr(`training:targets.${k}`)).join(", "),
        })}
      </Text>
      {t.error ? <Alert color="red">{t.error}</Alert> : null}

      {!result ? (
        <Card withBorder data-testid="test-progress">
          <JobProgress
            done={progress?.done ?? 0}
            total={progress?.total ?? t.config.cellKeys.length}
            status={liveStatus}
            label={tr("job.progress")}
          />
          <Text size="sm" mt="xs" data-testid="progress-cell">
            {progress?.cell
              ? tr("job.progressCell", {
                  cell: String(progress.cell),
                  done: progress.done,
                  total: progress.total,
                  samples: n(Number(progress.samples)),
                })
              : tr("job.waiting")}
          </Text>
          {running ? (
            <Text size="sm" data-testid="running-metrics">
              {tr("job.running", {
                metrics: t.config.targets
                  .map((k) =>
                    running[k]
                      ? tr("job.runningTarget", {
                          target: tr(`training:targets.${k}`),
                          rmspe: fmtMetric("rmspe", running[k].rmspe, k),
                          rmse: fmtMetric("rmse", running[k].rmse, k),
                        })
                      : "",
                  )
                  .join(" · "),
              })}
            </Text>
          ) : null}
          <JobLogPanel events={live.events} height={180} />
        </Card>
      ) : (
        <>
          <MetricCards overall={result.overall} targets={t.config.targets} />
          <Text size="xs" c="dimmed">
            {tr("job.resultLine", {
              samples: n(result.samples),
              cells: n(result.cells.length),
              ms: n(result.elapsedMs),
            })}
            {result.emptyCells.length ? tr("job.emptyCells", { cells: result.emptyCells.join(", ") }) : ""}
          </Text>
          <Group>
            {t.config.targets.length > 1 ? (
              <SegmentedControl
                value={target}
                onChange={(v) => setTarget(v as TestTarget)}
                data={t.config.targets.map((k) => ({ value: k, label: tr(`training:targets.${k}`) }))}
                data-testid="target-switch"
              />
            ) : null}
            <Select
              w={220}
              label={tr("job.cell")}
              data={result.cells.filter((c) => c.n > 0).map((c) => c.cellKey)}
              value={cellKey}
              onChange={(v) => v && setCell(v)}
              searchable
              data-testid="cell-switch"
            />
          </Group>
          <Grid>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Card withBorder>
                {cellData.data ? (
                  <CellCharts
                    target={target}
                    cellKey={cellData.data.cellKey}
                    points={cellData.data.targets.find((x) => x.target === target)?.points ?? []}
                  />
                ) : (
                  <Text c="dimmed">{tr("job.loading")}</Text>
                )}
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Card withBorder>
                <Text size="sm" fw={600}>
                  {tr("job.histogram", { target: tr(`training:targets.${target}`) })}
                </Text>
                {residuals.data ? <ResidualHistogram target={target} histogram={residuals.data.histogram} /> : null}
                <Text size="sm" fw={600} mt="sm">
                  {tr("job.perCellRmse", { target: tr(`training:targets.${target}`) })}
                </Text>
                <CellErrorBars
                  target={target}
                  metric="RMSE"
                  data={result.cells
                    .filter((c) => c.metrics[target])
                    .map((c) => ({ cellKey: c.cellKey, value: c.metrics[target]!.rmse }))}
                />
              </Card>
            </Grid.Col>
          </Grid>
          <Card withBorder>
            {residuals.data ? <ResidualBoxPlot target={target} boxes={residuals.data.perCell} /> : null}
          </Card>
          <Card withBorder>
            <Text size="sm" fw={600} mb="xs">
              {tr("job.perCellTable")}
            </Text>
            <CellTable cells={result.cells} targets={t.config.targets} onPick={setCell} selected={cellKey} />
          </Card>
        </>
      )}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "testing:job.what");

export function ErrorBoundary() {
  const { t } = useTranslation("testing");
  return <RouteErrorPage what={t("job.what")} back={{ to: "/battery/tests", label: t("job.back") }} />;
}
