import { useEffect, useState } from "react";
import { useSearchParams } from "@remix-run/react";
import { Alert, Badge, Card, Group, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { AnomalyChart, type ScoredChartPoint } from "../components/anomaly/anomaly-chart";
import { StreamingChart } from "../components/anomaly/streaming-chart";
import { alertReason } from "../components/anomaly/events-table";
import { LiveReplay } from "../components/anomaly/live-replay";

const WINDOW = 600; // points kept on screen
const fmt = (ts: number) => new Date(ts).toISOString().slice(0, 19).replace("T", " ");

/** Points posted to anomaly.score for one detector, as they arrive (tRPC subscription over WebSocket). */
export default function AnomalyLive() {
  const [params, setParams] = useSearchParams();
  const detectors = trpc.anomaly.detectors.useQuery({});
  const detectorId = Number(params.get("detector")) || detectors.data?.[0]?.id || 0;
  const recent = trpc.anomaly.stream.useQuery(
    { detectorId, limit: WINDOW },
    { enabled: detectorId > 0, refetchOnWindowFocus: false, retry: false },
  );
  const [points, setPoints] = useState<ScoredChartPoint[]>([]);
  const [arrived, setArrived] = useState(0);
  useEffect(() => {
    setPoints(recent.data?.points ?? []);
    setArrived(0);
  }, [recent.data]);
  const last = points.length ? points[points.length - 1].ts : null;
  const sub = trpc.anomaly.live.useSubscription(
    {
      detectorId,
      lastEventId: recent.data?.points.length ? String(recent.data.points[recent.data.points.length - 1].ts) : null,
    },
    {
      enabled: detectorId > 0 && recent.isSuccess,
      onData: (e) => {
        setPoints((prev) => [...prev, e.data].slice(-WINDOW));
        setArrived((n) => n + 1);
      },
    },
  );
  const d = recent.data?.detector;
  const flags = points.filter((p) => p.flag);
  return (
    <Stack maw={1300}>
      <Title order={2}>Live anomaly detection</Title>
      <Group align="end">
        <Select
          label="Detector"
          w={420}
          data-testid="anomaly-live-detector"
          value={detectorId ? String(detectorId) : null}
          data={(detectors.data ?? []).map((x) => ({ value: String(x.id), label: `#${x.id} ${x.name}` }))}
          onChange={(v) => v && setParams({ detector: v })}
        />
        <Badge
          color={sub.status === "pending" ? "green" : sub.status === "error" ? "red" : "gray"}
          data-testid="anomaly-live-status"
        >
          {sub.status === "pending" ? "listening" : sub.status}
        </Badge>
      </Group>
      {!detectorId && detectors.isSuccess && <Alert color="gray">No detector yet: fit one on the anomaly page.</Alert>}
      {recent.error && <Alert color="red">{recent.error.message}</Alert>}
      {d && (
        <Card withBorder>
          {points.length === 0 ? (
            <Text size="sm" mb="xs" data-testid="anomaly-live-empty">
              Nothing has been posted to this detector yet. Points appear here the moment a client posts them; replay
              the asset to see how it works.
            </Text>
          ) : null}
          <LiveReplay detector={{ id: d.id, assetId: d.assetId, streaming: d.streaming }} after={last} />
        </Card>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            On screen
          </Text>
          <Text fw={600}>{points.length}</Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            Arrived since opened
          </Text>
          <Text fw={600} data-testid="anomaly-live-arrived">
            {arrived}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {d?.kind === "streaming" ? "Alerts on screen" : "Flagged on screen"}
          </Text>
          <Text fw={600} c={flags.length ? "red" : undefined}>
            {flags.length}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            Last point
          </Text>
          <Text fw={600}>{last ? fmt(last) : "–"}</Text>
        </Card>
      </SimpleGrid>
      {d?.kind === "streaming" && d.streaming && (
        <Text size="sm" data-testid="anomaly-live-rule">
          Streaming detector: probation {d.streaming.probation} points ({fmt(d.streaming.startTs)} →{" "}
          {fmt(d.streaming.probationEndTs)}); alerts when the score reaches {d.streaming.threshold}, once per anomaly.
        </Text>
      )}
      <Card withBorder>
        {d?.kind === "streaming" && d.streaming ? (
          <StreamingChart points={points} streaming={d.streaming} testId="anomaly-live-chart" />
        ) : (
          <AnomalyChart points={points} testId="anomaly-live-chart" />
        )}
      </Card>
      <Card withBorder>
        <Text fw={600} mb="xs">
          {d?.kind === "streaming" ? "Latest alerts, and why they fired" : "Latest flags"}
        </Text>
        {!flags.length ? (
          <Text c="dimmed">No flagged point on screen.</Text>
        ) : (
          flags
            .slice(-10)
            .reverse()
            .map((p) => (
              <Text key={p.ts} size="sm" data-testid="anomaly-live-flag">
                {fmt(p.ts)}: value {p.value?.toFixed(3)},{" "}
                {d?.kind === "streaming" && d.streaming
                  ? alertReason(p.score ?? 0, d.streaming.threshold, d.streaming.shortWindow)
                  : `forecast ${p.q50?.toFixed(3)} [${p.q10?.toFixed(3)}, ${p.q90?.toFixed(3)}], score ${p.score?.toFixed(4)}`}
              </Text>
            ))
        )}
      </Card>
    </Stack>
  );
}

export const meta = () => [{ title: "Live anomaly detection · VoltLab" }];
