import { json, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { trpc } from "../lib/trpc";
import { pageTitle } from "../lib/meta";
import { useFormat } from "../lib/format";
import { errorMessage } from "../lib/form-errors";
import { useJobEvents } from "../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../components/jobs";
import { orNotFound, RouteErrorPage } from "../components/not-found";
import { AnomalyChart } from "../components/anomaly/anomaly-chart";
import { EventsTable, StreamingEventsTable } from "../components/anomaly/events-table";
import { StreamingChart } from "../components/anomaly/streaming-chart";
import { downloadText } from "../components/anomaly/download";
import { fmtMinute as fmt } from "../components/anomaly/times";
import { scoreFormula } from "../components/anomaly/score-formula";

export async function loader({ params, context }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  // Another user's detection, or a deleted one, is a 404 page with a way back.
  await orNotFound("Detection", () => context.trpc.anomaly.detection({ id, maxPoints: 100 }));
  return json({ id });
}

export function ErrorBoundary() {
  const { t } = useTranslation("anomaly");
  return (
    <RouteErrorPage what={t("detection.what")} back={{ to: "/energy/anomaly", label: t("detection.backButton") }} />
  );
}

function Stat({ label, value }: { label: string; value: string | number }) {
  return (
    <Card withBorder padding="sm">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={600}>{value}</Text>
    </Card>
  );
}

export default function DetectionPage() {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const { id } = useLoaderData<typeof loader>();
  const det = trpc.anomaly.detection.useQuery(
    { id, maxPoints: 4000 },
    {
      refetchInterval: (q) => (q.state.data && ["PENDING", "RUNNING"].includes(q.state.data.status) ? 1500 : false),
      retry: false,
    },
  );
  const jobId = det.data?.jobId ?? null;
  const ev = useJobEvents(jobId ? { jobId } : null);
  const utils = trpc.useUtils();
  const progress = jobId ? ev.progressByJob[jobId] : undefined;
  const csv = async (what: "events" | "points") => {
    const r = await utils.anomaly.detectionCsv.fetch({ id, what });
    downloadText(r.filename, r.csv);
  };
  if (det.error) return <Alert color="red">{errorMessage(det.error)}</Alert>;
  if (!det.data) return <Loader />;
  const d = det.data;
  const s = (d.summary ?? {}) as Record<string, number>;
  const st = d.detector.kind === "streaming" ? d.detector.streaming : null;
  const four = (v: number | null) => (v === null ? "–" : n(v, { maximumSignificantDigits: 4 }));
  return (
    <Stack maw={1300}>
      <Group justify="space-between">
        <Title order={2}>{t("detection.title", { id: d.id })}</Title>
        <Anchor component={Link} to={`/energy/anomaly?detector=${d.detectorId}`}>
          {t("detection.back")}
        </Anchor>
      </Group>
      {st ? (
        <Text size="sm" c="dimmed" data-testid="anomaly-detection-rule">
          {t("detection.ruleStreaming", {
            name: d.detector.name,
            probation: n(st.probation),
            from: fmt(st.startTs),
            to: fmt(st.probationEndTs),
            threshold: n(st.threshold),
            window: st.shortWindow,
          })}
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          {t("detection.ruleQuantile", {
            name: d.detector.name,
            score: scoreFormula(d.detector.settings.scoreMode),
            low: four(d.detector.lowThreshold),
            high: four(d.detector.highThreshold),
            gap: String((d.request as Record<string, unknown>).mergeGap),
          })}
        </Text>
      )}
      <Card withBorder data-testid="anomaly-detection-status" data-status={d.status}>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>{t("detection.run")}</Text>
          <JobStatusBadge status={d.status} />
        </Group>
        {progress && (
          <JobProgress
            done={progress.done}
            total={progress.total}
            status={d.status}
            label={t("detection.pointsScored")}
          />
        )}
        {d.error && (
          <Alert color="red" mt="xs">
            {d.error}
          </Alert>
        )}
        {jobId && <JobLogPanel events={ev.events} height={80} />}
      </Card>
      {d.status === "SUCCEEDED" && (
        <>
          <SimpleGrid cols={{ base: 2, md: 5 }}>
            <Stat label={t("detection.points")} value={n(s.points)} />
            <Stat label={t("detection.scored")} value={n(s.scored)} />
            <Stat label={st ? t("detection.alerts") : t("detection.flagged")} value={n(s.flagged)} />
            <Stat label={t("detection.events")} value={n(s.events)} />
            <Stat
              label={t("detection.seconds")}
              value={n(s.seconds, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
            />
          </SimpleGrid>
          <Card withBorder>
            {st ? <StreamingChart points={d.points} streaming={st} /> : <AnomalyChart points={d.points} />}
            {d.totalPoints > d.points.length && (
              <Text size="xs" c="dimmed">
                {t("detection.thinned", { shown: n(d.points.length), total: n(d.totalPoints) })}
              </Text>
            )}
          </Card>
          <Group>
            <Button variant="light" onClick={() => void csv("events")} data-testid="anomaly-csv-events">
              {t("detection.eventsCsv")}
            </Button>
            <Button variant="light" onClick={() => void csv("points")} data-testid="anomaly-csv-points">
              {t("detection.pointsCsv")}
            </Button>
          </Group>
          {st ? (
            <StreamingEventsTable events={d.events ?? []} threshold={st.threshold} shortWindow={st.shortWindow} />
          ) : (
            <EventsTable events={d.events ?? []} />
          )}
        </>
      )}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "anomaly:detection.what");
