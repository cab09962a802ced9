import { Link, useNavigate, useSearchParams } from "@remix-run/react";
import type { MetaArgs } from "@remix-run/node";
import { Trans, useTranslation } from "react-i18next";
import { JobStatusBadge } from "../components/jobs";
import { Anchor, Badge, Button, Card, Group, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { pageTitle } from "../lib/meta";
import { useFormat } from "../lib/format";
import { FitForm } from "../components/anomaly/fit-form";
import { DetectForm } from "../components/anomaly/detect-form";
import { fmtMinute as fmt } from "../components/anomaly/times";
import { ENERGY_MODEL_LABELS } from "../../server/services/energy/models-schema";

/** A badge never cut short by a narrow column (the detector's kind). */
const whole = {
  style: { flexShrink: 0, maxWidth: "none", overflow: "visible" },
  styles: { label: { overflow: "visible", textOverflow: "clip" } },
} as const;

export default function AnomalyIndex() {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const versions = trpc.energyModels.list.useQuery({});
  const assets = trpc.energy.assets.list.useQuery();
  const detectors = trpc.anomaly.detectors.useQuery({});
  const detections = trpc.anomaly.detections.useQuery({}, { refetchInterval: 3000 });
  const utils = trpc.useUtils();
  const del = trpc.anomaly.deleteDetector.useMutation({ onSuccess: () => void utils.anomaly.detectors.invalidate() });
  const assetName = (id: number) => assets.data?.find((a) => a.id === id)?.name ?? t("assetFallback", { id });
  const num = (v: number | null) => (v === null ? t("unset") : n(v, { maximumSignificantDigits: 4 }));
  const ready = (versions.data ?? [])
    .filter((v) => v.status === "SUCCEEDED")
    .map((v) => ({ value: String(v.id), label: `#${v.id} ${ENERGY_MODEL_LABELS[v.kind]} · ${assetName(v.assetId)}` }));
  const assetOptions = (assets.data ?? []).map((a) => ({ value: String(a.id), label: a.name }));
  const selected = Number(params.get("detector")) || detectors.data?.[0]?.id || 0;

  return (
    <Stack maw={1300}>
      <Title order={2}>{t("title")}</Title>
      <Text size="sm" c="dimmed">
        <Trans t={t} i18nKey="intro" components={{ live: <Anchor component={Link} to="/energy/anomaly/live" /> }} />
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
          {t("detectors.title")}
        </Text>
        {!detectors.data?.length ? (
          <Text c="dimmed">{t("none")}</Text>
        ) : (
          <Table data-testid="anomaly-detectors">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("detectors.name")}</Table.Th>
                <Table.Th>{t("detectors.asset")}</Table.Th>
                <Table.Th>{t("detectors.kind")}</Table.Th>
                <Table.Th>{t("detectors.threshold")}</Table.Th>
                <Table.Th>{t("detectors.fitted")}</Table.Th>
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
                        <Badge variant="light" {...whole}>
                          {t("detectors.streaming")}
                        </Badge>
                      </Table.Td>
                      <Table.Td data-testid="anomaly-detector-threshold">
                        {t("detectors.scoreAtLeast", { threshold: n(d.streaming.threshold) })}
                      </Table.Td>
                      <Table.Td>
                        {t("detectors.probation", {
                          points: n(d.streaming.probation),
                          from: fmt(d.streaming.startTs),
                          to: fmt(d.streaming.probationEndTs),
                        })}
                      </Table.Td>
                    </>
                  ) : (
                    <>
                      <Table.Td>
                        <Badge variant="light" color="gray" {...whole}>
                          {t("detectors.quantile", { mode: d.settings.scoreMode })}
                        </Badge>
                      </Table.Td>
                      <Table.Td>
                        {num(d.lowThreshold)} / {num(d.highThreshold)}{" "}
                        <Text span size="xs" c="dimmed">
                          {t("detectors.quantiles", {
                            low: d.settings.lowQuantile ?? "–",
                            high: d.settings.highQuantile ?? "–",
                          })}
                        </Text>
                      </Table.Td>
                      <Table.Td>
                        {t("detectors.fittedRange", {
                          points: n(d.fittedRange.points),
                          from: fmt(d.fittedRange.fromTs),
                          to: fmt(d.fittedRange.toTs),
                        })}{" "}
                        <Text span size="xs" c="dimmed">
                          {t("detectors.excluded", {
                            labelled: n(d.fittedRange.excludedLabelled),
                            dropout: n(d.fittedRange.excludedDropout),
                          })}
                        </Text>
                      </Table.Td>
                    </>
                  )}
                  <Table.Td>
                    <Group gap="xs" wrap="nowrap">
                      <Button size="xs" variant="light" component={Link} to={`/energy/anomaly/live?detector=${d.id}`}>
                        {t("detectors.live")}
                      </Button>
                      <Button size="xs" variant="subtle" color="red" onClick={() => del.mutate({ id: d.id })}>
                        {t("detectors.delete")}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Card>

      {selected > 0 && detectors.data && assets.data && (
        <DetectForm
          detectors={detectors.data}
          assets={assets.data}
          detectorId={selected}
          onSelect={(id) => setParams({ detector: String(id) })}
          onStarted={(id) => navigate(`/energy/anomaly/detections/${id}`)}
        />
      )}

      <Card withBorder>
        <Text fw={600} mb="xs">
          {t("detections.title")}
        </Text>
        {!detections.data?.length ? (
          <Text c="dimmed">{t("none")}</Text>
        ) : (
          <Table data-testid="anomaly-detections">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>#</Table.Th>
                <Table.Th>{t("detections.detector")}</Table.Th>
                <Table.Th>{t("detections.source")}</Table.Th>
                <Table.Th>{t("detections.status")}</Table.Th>
                <Table.Th>{t("detections.points")}</Table.Th>
                <Table.Th>{t("detections.flagged")}</Table.Th>
                <Table.Th>{t("detections.events")}</Table.Th>
                <Table.Th>{t("detections.started")}</Table.Th>
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
                        ? String((d.request as Record<string, unknown>).fileName ?? t("detections.file"))
                        : t("detections.range")}
                    </Table.Td>
                    <Table.Td>
                      <JobStatusBadge status={d.status} size="sm" />
                    </Table.Td>
                    <Table.Td>{n(s.points)}</Table.Td>
                    <Table.Td>{n(s.flagged)}</Table.Td>
                    <Table.Td>{n(s.events)}</Table.Td>
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

export const meta = (args: MetaArgs) => pageTitle(args, "anomaly:title");
