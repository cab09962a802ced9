import { useRef, useState } from "react";
import { Alert, Anchor, Button, Group, Text } from "@mantine/core";
import { trpc } from "../../lib/trpc";

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
      if (!next.length)
        throw new Error("The asset has no stored points after the last one on screen: post new ones with a script.");
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
      setState((s) => ({ ...s, running: false, error: e instanceof Error ? e.message : String(e) }));
    }
  }

  return (
    <>
      <Group>
        <Button onClick={() => void replay()} loading={state.running} data-testid="anomaly-live-replay">
          Replay {BATCH * BATCHES} points of the asset
        </Button>
        {state.running ? (
          <Button variant="subtle" onClick={() => (stop.current = true)}>
            Stop
          </Button>
        ) : null}
        <Text size="sm" c="dimmed" data-testid="anomaly-live-replayed">
          {state.sent
            ? `${state.sent} points posted`
            : "Posts the asset's own next points, 10 every 0.4 s, as a client would."}
        </Text>
      </Group>
      {state.error ? (
        <Alert color="red" data-testid="anomaly-live-replay-error">
          {state.error}
        </Alert>
      ) : null}
      <Text size="xs" c="dimmed">
        From your own code:{" "}
        <Anchor href="/docs" target="_blank">
          the API reference
        </Anchor>{" "}
        describes posting points with an API key (create one on the <Anchor href="/account">account page</Anchor>).
      </Text>
    </>
  );
}
