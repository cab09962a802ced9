import { Link, useNavigate, useSearchParams } from "@remix-run/react";
import { JobStatusBadge } from "../components/jobs";
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { FitForm } from "../components/anomaly/fit-form";
import { DetectForm } from "../components/anomaly/detect-form";
import { ENERGY_MODEL_LABELS } from "../../server/services/energy/models-schema";

const fmt = (ts: number | string | Date | null | undefined) =>
  ts == null ? "–" : new Date(ts).toISOString().slice(0, 16).replace("T", " ");
const num = (v: number | null) => (v === null ? "unset" : v.toPrecision(4));

export default function AnomalyIndex() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const versions = trpc.energyModels.list.useQuery({});
  const assets = trpc.energy.assets.list.useQuery();
  const detectors = trpc.anomaly.detectors.useQuery({});
  const detections = trpc.anomaly.detections.useQuery({}, { refetchInterval: 3000 });
  const utils = trpc.useUtils();
  const del = trpc.anomaly.deleteDetector.useMutation({ onSuccess: () => void utils.anomaly.detectors.invalidate() });
  const assetName = (id: number) => assets.data?.find((a) => a.id === id)?.name ?? `asset ${id}`;
  const ready = (versions.data ?? [])
    .filter((v) => v.status === "SUCCEEDED")
    .map((v) => ({ value: String(v.id), label: `#${v.id} ${ENERGY_MODEL_LABELS[v.kind]} · ${assetName(v.assetId)}` }));
  const assetOptions = (assets.data ?? []).map((a) => ({ value: String(a.id), label: a.name }));
  const selected = Number(params.get("detector")) || detectors.data?.[0]?.id || 0;

  return (
    <Stack maw={1300}>
      <Title order={2}>Anomaly detection</Title>
      <Text size="sm" c="dimmed">
        A streaming detector (the default) reads an asset's values as they come, learns during a probation period and
        alerts once per anomaly when its score reaches the threshold; a quantile detector flags points whose forecast
        residual leaves thresholds fitted on clean data. Run them in batch over a range or a file, or post points in
        real time (anomaly.score with an API key) and watch them on the{" "}
        <Anchor component={Link} to="/energy/anomaly/live">
          live page
        </Anchor>
        .
      </Text>
      {versions.isSuccess && assets.isSuccess && (
        <FitForm
          key={`${ready.length}-${assetOptions.length}`}
          versions={ready}
          assets={assetOptions}
          onFitted={(id) => {
            void utils.anomaly.detectors.invalidate();
            setParams({ detector: String(id) });
          }}
        />
      )}

      <Card withBorder>
        <Text fw={600} mb="xs">
          Detectors
        </Text>
        {!detectors.data?.length ? (
          <Text c="dimmed">None yet.</Text>
        ) : (
          <Table data-testid="anomaly-detectors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Name</Table.Th>
                <Table.Th>Asset</Table.Th>
                <Table.Th>Kind</Table.Th>
                <Table.Th>Threshold</Table.Th>
                <Table.Th>Fitted on / probation</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detectors.data.map((d) => (
                <Table.Tr
                  key={d.id}
                  data-testid="anomaly-detector-row"
                  data-id={d.id}
                  bg={d.id === selected ? "var(--mantine-color-blue-light)" : undefined}
                >
                  <Table.Td>
                    <Anchor onClick={() => setParams({ detector: String(d.id) })}>{d.name}</Anchor>
                  </Table.Td>
                  <Table.Td>{assetName(d.assetId)}</Table.Td>
                  {d.kind === "streaming" && d.streaming ? (
                    <>
                      <Table.Td>
                        <Badge variant="light">streaming</Badge>
                      </Table.Td>
                      <Table.Td data-testid="anomaly-detector-threshold">score ≥ {d.streaming.threshold}</Table.Td>
                      <Table.Td>
                        probation {d.streaming.probation} points, {fmt(d.streaming.startTs)} →{" "}
                        {fmt(d.streaming.probationEndTs)}
                      </Table.Td>
                    </>
                  ) : (
                    <>
                      <Table.Td>
                        <Badge variant="light" color="gray">
                          quantile · {d.settings.scoreMode}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {num(d.lowThreshold)} / {num(d.highThreshold)}{" "}
                        <Text span size="xs" c="dimmed">
                          (q {d.settings.lowQuantile ?? "–"} / {d.settings.highQuantile ?? "–"})
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {d.fittedRange.points} clean points, {fmt(d.fittedRange.fromTs)} → {fmt(d.fittedRange.toTs)}{" "}
                        <Text span size="xs" c="dimmed">
                          ({d.fittedRange.excludedLabelled} labelled, {d.fittedRange.excludedDropout} dropout excluded)
                        </Text>
                      </Table.Td>
                    </>
                  )}
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="light" component={Link} to={`/energy/anomaly/live?detector=${d.id}`}>
                        Live
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => del.mutate({ id: d.id })}>
                        Delete
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      {selected > 0 && (
        <DetectForm detectorId={selected} onStarted={(id) => navigate(`/energy/anomaly/detections/${id}`)} />
      )}

      <Card withBorder>
        <Text fw={600} mb="xs">
          Detections
        </Text>
        {!detections.data?.length ? (
          <Text c="dimmed">None yet.</Text>
        ) : (
          <Table data-testid="anomaly-detections">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>Detector</Table.Th>
                <Table.Th>Source</Table.Th>
                <Table.Th>Status</Table.Th>
                <Table.Th>Points</Table.Th>
                <Table.Th>Flagged / alerts</Table.Th>
                <Table.Th>Events</Table.Th>
                <Table.Th>Started</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detections.data.map((d) => {
                const s = (d.summary ?? {}) as Record<string, number>;
                return (
                  <Table.Tr key={d.id}>
                    <Table.Td>
                      <Anchor component={Link} to={`/energy/anomaly/detections/${d.id}`}>
                        #{d.id}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{detectors.data?.find((x) => x.id === d.detectorId)?.name ?? d.detectorId}</Table.Td>
                    <Table.Td>
                      {d.source === "upload"
                        ? String((d.request as Record<string, unknown>).fileName ?? "file")
                        : "range"}
                    </Table.Td>
                    <Table.Td>
                      <JobStatusBadge status={d.status} size="sm" />
                    </Table.Td>
                    <Table.Td>{s.points ?? "–"}</Table.Td>
                    <Table.Td>{s.flagged ?? "–"}</Table.Td>
                    <Table.Td>{s.events ?? "–"}</Table.Td>
                    <Table.Td>{fmt(d.createdAt)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        )}
      </Card>
    </Stack>
  );
}

export const meta = () => [{ title: "Anomaly detection · VoltLab" }];
