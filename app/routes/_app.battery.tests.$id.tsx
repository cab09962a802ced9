import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
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
        ← Test jobs
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
              title={`Cancel test "${t.name}"?`}
              message="The test stops and keeps no results."
              confirmLabel="Cancel test"
              onConfirm={() => cancel.mutate({ id })}
            >
              Cancel
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
                Printable report
              </Button>
            </>
          ) : null}
        </Group>
      </Group>
      <Text size="sm" c="dimmed">
        {t.config.version.name} ({t.config.version.algorithm}) · {t.config.datasetName}
        {t.config.preset ? ` · ${t.config.preset}` : ""} · {t.config.cellKeys.length} cells · horizon {t.config.horizon}{" "}
        · targets {t.config.targets.join(", ").toUpperCase()}
      </Text>
      {t.error ? <Alert color="red">{t.error}</Alert> : null}

      {!result ? (
        <Card withBorder data-testid="test-progress">
          <JobProgress
            done={progress?.done ?? 0}
            total={progress?.total ?? t.config.cellKeys.length}
            status={liveStatus}
            label="cells"
          />
          <Text size="sm" mt="xs" data-testid="progress-cell">
            {progress?.cell
              ? `cell ${String(progress.cell)} (${progress.done}/${progress.total}), ${String(progress.samples)} samples`
              : "waiting for the worker…"}
          </Text>
          {running ? (
            <Text size="sm" data-testid="running-metrics">
              running:{" "}
              {t.config.targets
                .map((k) =>
                  running[k]
                    ? `${k.toUpperCase()} RMSPE ${fmtMetric("rmspe", running[k].rmspe, k)}, RMSE ${fmtMetric("rmse", running[k].rmse, k)}`
                    : "",
                )
                .join(" · ")}
            </Text>
          ) : null}
          <JobLogPanel events={live.events} height={180} />
        </Card>
      ) : (
        <>
          <MetricCards overall={result.overall} targets={t.config.targets} />
          <Text size="xs" c="dimmed">
            {result.samples.toLocaleString("en")} samples, {result.cells.length} cells, inference {result.elapsedMs} ms
            {result.emptyCells.length ? ` · no samples in ${result.emptyCells.join(", ")}` : ""}
          </Text>
          <Group>
            {t.config.targets.length > 1 ? (
              <SegmentedControl
                value={target}
                onChange={(v) => setTarget(v as TestTarget)}
                data={t.config.targets.map((k) => ({ value: k, label: k.toUpperCase() }))}
                data-testid="target-switch"
              />
            ) : null}
            <Select
              w={220}
              label="Cell"
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
                  <Text c="dimmed">Loading…</Text>
                )}
              </Card>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 6 }}>
              <Card withBorder>
                <Text size="sm" fw={600}>
                  Residual histogram ({target.toUpperCase()}, all cells)
                </Text>
                {residuals.data ? <ResidualHistogram target={target} histogram={residuals.data.histogram} /> : null}
                <Text size="sm" fw={600} mt="sm">
                  RMSE per cell ({target.toUpperCase()}), worst first
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
              Per-cell metrics (click a header to sort, a row to chart the cell)
            </Text>
            <CellTable cells={result.cells} targets={t.config.targets} onPick={setCell} selected={cellKey} />
          </Card>
        </>
      )}
    </Stack>
  );
}

export const meta: MetaFunction = () => [{ title: "Test job · VoltLab" }];

export function ErrorBoundary() {
  return <RouteErrorPage what="Test job" back={{ to: "/battery/tests", label: "Back to the test jobs" }} />;
}
