import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { useJobEvents } from "../lib/use-job-events";
import { JobLogPanel, JobProgress, JobStatusBadge } from "../components/jobs";
import { AnomalyChart } from "../components/anomaly/anomaly-chart";
import { EventsTable, StreamingEventsTable } from "../components/anomaly/events-table";
import { StreamingChart } from "../components/anomaly/streaming-chart";
import { downloadText } from "../components/anomaly/download";

export async function loader({ params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Not found", { status: 404 });
  return json({ id });
}

const fmt = (ts: number) => new Date(ts).toISOString().slice(0, 16).replace("T", " ");

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
  if (det.error) return <Alert color="red">{det.error.message}</Alert>;
  if (!det.data) return <Loader />;
  const d = det.data;
  const s = (d.summary ?? {}) as Record<string, number>;
  const st = d.detector.kind === "streaming" ? d.detector.streaming : null;
  return (
    <Stack maw={1300}>
      <Group justify="space-between">
        <Title order={2}>Detection #{d.id}</Title>
        <Anchor component={Link} to={`/energy/anomaly?detector=${d.detectorId}`}>
          ← Anomaly detection
        </Anchor>
      </Group>
      {st ? (
        <Text size="sm" c="dimmed" data-testid="anomaly-detection-rule">
          Streaming detector “{d.detector.name}”: it learned during probation ({st.probation} points, {fmt(st.startTs)}{" "}
          → {fmt(st.probationEndTs)}) and keeps adapting; a point alerts when its score reaches the threshold{" "}
          {st.threshold} (score = how unlikely the last {st.shortWindow} points' surprise is under the series' own
          history, on a log scale: 0.5 ≈ 1 in 10⁵, 1 ≈ 1 in 10¹⁰ or beyond the range seen), at most one alert per
          anomaly.
        </Text>
      ) : (
        <Text size="sm" c="dimmed">
          Detector “{d.detector.name}”:{" "}
          {d.detector.settings.scoreMode === "width" ? "|y − median| / (q90 − q10)" : "|y − median|"} outside [
          {d.detector.lowThreshold?.toPrecision(4) ?? "–"}, {d.detector.highThreshold?.toPrecision(4) ?? "–"}]; flags at
          most {String((d.request as Record<string, unknown>).mergeGap)} points apart form one event.
        </Text>
      )}
      <Card withBorder data-testid="anomaly-detection-status" data-status={d.status}>
        <Group justify="space-between" mb="xs">
          <Text fw={600}>Detection run</Text>
          <JobStatusBadge status={d.status} />
        </Group>
        {progress && (
          <JobProgress done={progress.done} total={progress.total} status={d.status} label="Points scored" />
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
            <Stat label="Points" value={s.points} />
            <Stat label="Scored" value={s.scored} />
            <Stat label={st ? "Alerts" : "Flagged"} value={s.flagged} />
            <Stat label="Events" value={s.events} />
            <Stat label="Seconds" value={Number(s.seconds).toFixed(1)} />
          </SimpleGrid>
          <Card withBorder>
            {st ? <StreamingChart points={d.points} streaming={st} /> : <AnomalyChart points={d.points} />}
            {d.totalPoints > d.points.length && (
              <Text size="xs" c="dimmed">
                {d.points.length} of {d.totalPoints} points drawn (every flagged point, the rest thinned).
              </Text>
            )}
          </Card>
          <Group>
            <Button variant="light" onClick={() => void csv("events")} data-testid="anomaly-csv-events">
              Events CSV
            </Button>
            <Button variant="light" onClick={() => void csv("points")} data-testid="anomaly-csv-points">
              Points CSV
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

export const meta = () => [{ title: "Detection · VoltLab" }];
