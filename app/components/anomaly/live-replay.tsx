import { useRef, useState } from "react";
import { Alert, Anchor, Button, Group, Text } from "@mantine/core";
import { Trans, useTranslation } from "react-i18next";
import { trpc } from "../../lib/trpc";
import { useFormat } from "../../lib/format";
import { errorMessage } from "../../lib/form-errors";

const BATCH = 10;
const BATCHES = 10;
const PAUSE_MS = 400;

/**
 * Replays the detector's asset through the live page: its stored points after the last one on
 * screen (after the probation for a streaming detector), posted to anomaly.score 10 at a time, as
 * a script with an API key would. A new user sees the live view work without writing a script.
 */
export function LiveReplay({
  detector,
  after,
}: {
  detector: { id: number; assetId: number; streaming?: { probationEndTs: number | string } | null };
  after: number | null;
}) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const utils = trpc.useUtils();
  const score = trpc.anomaly.score.useMutation();
  const [state, setState] = useState<{ sent: number; error: string | null; running: boolean }>({
    sent: 0,
    error: null,
    running: false,
  });
  const stop = useRef(false);

  async function replay() {
    stop.current = false;
    setState({ sent: 0, error: null, running: true });
    try {
      const series = await utils.energy.assets.series.fetch({ id: detector.assetId, range: "all", maxPoints: 20_000 });
      const from = Math.max(
        after ?? -Infinity,
        detector.streaming ? new Date(detector.streaming.probationEndTs).getTime() : -Infinity,
      );
      const next = series.t
        .map((ts, i) => ({ ts, value: series.v[i] }))
        .filter((p) => p.ts > from)
        .slice(0, BATCH * BATCHES);
      if (!next.length) throw new Error(t("live.replayNothing"));
      for (let i = 0; i < next.length && !stop.current; i += BATCH) {
        await score.mutateAsync({
          assetId: detector.assetId,
          detectorId: detector.id,
          points: next.slice(i, i + BATCH),
        });
        setState((s) => ({ ...s, sent: Math.min(next.length, i + BATCH) }));
        await new Promise((r) => setTimeout(r, PAUSE_MS));
      }
      setState((s) => ({ ...s, running: false }));
    } catch (e) {
      setState((s) => ({ ...s, running: false, error: errorMessage(e) }));
    }
  }

  return (
    <>
      <Group>
        <Button onClick={() => void replay()} loading={state.running} data-testid="anomaly-live-replay">
          {t("live.replay", { n: n(BATCH * BATCHES) })}
        </Button>
        {state.running ? (
          <Button variant="subtle" onClick={() => (stop.current = true)}>
            {t("live.stop")}
          </Button>
        ) : null}
        <Text size="sm" c="dimmed" data-testid="anomaly-live-replayed">
          {state.sent
            ? t("live.posted", { count: state.sent })
            : t("live.replayHelp", { batch: n(BATCH), seconds: n(PAUSE_MS / 1000) })}
        </Text>
      </Group>
      {state.error ? (
        <Alert color="red" data-testid="anomaly-live-replay-error">
          {state.error}
        </Alert>
      ) : null}
      <Text size="xs" c="dimmed">
        <Trans
          t={t}
          i18nKey="live.fromCode"
          components={{
            docs: <Anchor href="/docs" target="_blank" />,
            account: <Anchor href="/account" />,
          }}
        />
      </Text>
    </>
  );
}
