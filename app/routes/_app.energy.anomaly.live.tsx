import { useEffect, useState } from "react";
import { useSearchParams } from "@remix-run/react";
import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { Alert, Badge, Card, Group, Select, SimpleGrid, Stack, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { pageTitle } from "../lib/meta";
import { useFormat } from "../lib/format";
import { errorMessage } from "../lib/form-errors";
import { fmtSecond as fmt } from "../components/anomaly/times";
import { AnomalyChart, type ScoredChartPoint } from "../components/anomaly/anomaly-chart";
import { StreamingChart } from "../components/anomaly/streaming-chart";
import { alertReason } from "../components/anomaly/events-table";
import { LiveReplay } from "../components/anomaly/live-replay";

const WINDOW = 600; // points kept on screen

/** Points posted to anomaly.score for one detector, as they arrive (tRPC subscription over WebSocket). */
export default function AnomalyLive() {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const three = (v: number | null) => n(v, { minimumFractionDigits: 3, maximumFractionDigits: 3 });
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
      <Title order={2}>{t("live.title")}</Title>
      <Group align="end">
        <Select
          label={t("live.detector")}
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
          {t(`live.status.${sub.status}`)}
        </Badge>
      </Group>
      {!detectorId && detectors.isSuccess && <Alert color="gray">{t("live.noDetector")}</Alert>}
      {recent.error && <Alert color="red">{errorMessage(recent.error)}</Alert>}
      {d && (
        <Card withBorder>
          {points.length === 0 ? (
            <Text size="sm" mb="xs" data-testid="anomaly-live-empty">
              {t("live.empty")}
            </Text>
          ) : null}
          <LiveReplay detector={{ id: d.id, assetId: d.assetId, streaming: d.streaming }} after={last} />
        </Card>
      )}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {t("live.onScreen")}
          </Text>
          <Text fw={600}>{n(points.length)}</Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {t("live.arrived")}
          </Text>
          <Text fw={600} data-testid="anomaly-live-arrived">
            {arrived}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {d?.kind === "streaming" ? t("live.alertsOnScreen") : t("live.flaggedOnScreen")}
          </Text>
          <Text fw={600} c={flags.length ? "red" : undefined}>
            {flags.length}
          </Text>
        </Card>
        <Card withBorder padding="sm">
          <Text size="xs" c="dimmed">
            {t("live.lastPoint")}
          </Text>
          <Text fw={600}>{last ? fmt(last) : "–"}</Text>
        </Card>
      </SimpleGrid>
      {d?.kind === "streaming" && d.streaming && (
        <Text size="sm" data-testid="anomaly-live-rule">
          {t("live.rule", {
            probation: n(d.streaming.probation),
            from: fmt(d.streaming.startTs),
            to: fmt(d.streaming.probationEndTs),
            threshold: n(d.streaming.threshold),
          })}
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
          {d?.kind === "streaming" ? t("live.latestAlerts") : t("live.latestFlags")}
        </Text>
        {!flags.length ? (
          <Text c="dimmed">{t("live.noFlag")}</Text>
        ) : (
          flags
            .slice(-10)
            .reverse()
            .map((p) => (
              <Text key={p.ts} size="sm" data-testid="anomaly-live-flag">
                {t("live.flagLine", {
                  time: fmt(p.ts),
                  value: three(p.value),
                  reason:
                    d?.kind === "streaming" && d.streaming
                      ? alertReason(t, n, p.score ?? 0, d.streaming.threshold, d.streaming.shortWindow)
                      : t("live.forecastReason", {
                          q50: three(p.q50),
                          q10: three(p.q10),
                          q90: three(p.q90),
                          score: n(p.score, { minimumFractionDigits: 4, maximumFractionDigits: 4 }),
                        }),
                })}
              </Text>
            ))
        )}
      </Card>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "anomaly:live.title");
