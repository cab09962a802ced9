import { useState } from "react";
import { Alert, Button, Card, FileInput, Group, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { QuotaLine } from "../quota-line";
import { serverFieldErrors } from "../../lib/form-errors";
import { useFormat } from "../../lib/format";
import { trpc, type RouterOutputs } from "../../lib/trpc";
import { fmtMinute, parseUtc } from "./times";
import { scoreFormula } from "./score-formula";

type Detector = RouterOutputs["anomaly"]["detectors"][number];
type Asset = RouterOutputs["energy"]["assets"]["list"][number];

async function toBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

/** What the chosen detector does, in one sentence (its kind and settings). */
function DetectorSummary({ d, asset }: { d: Detector; asset: string }) {
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
  const four = (v: number) => n(v, { maximumSignificantDigits: 4 });
  const text =
    d.kind === "streaming" && d.streaming
      ? t("detect.runsStreaming", {
          name: d.name,
          asset,
          threshold: n(d.streaming.threshold),
          probation: n(d.streaming.probation),
          probationEnd: fmtMinute(d.streaming.probationEndTs),
        })
      : d.lowThreshold !== null
        ? t("detect.runsQuantileLow", {
            name: d.name,
            asset,
            score: scoreFormula(d.settings.scoreMode),
            low: four(d.lowThreshold),
            high: d.highThreshold === null ? "∞" : four(d.highThreshold),
          })
        : t("detect.runsQuantile", {
            name: d.name,
            asset,
            score: scoreFormula(d.settings.scoreMode),
            high: d.highThreshold === null ? "–" : four(d.highThreshold),
            quantile: d.settings.highQuantile ?? "–",
          });
  return (
    <Text size="sm" data-testid="anomaly-detect-summary">
      {text}
    </Text>
  );
}

/**
 * Starts a batch detection (energy.detect job) over a time range of the asset or an uploaded
 * file, with the detector chosen in the form itself (the detectors table's highlighted row
 * preselects it); the time fields show the chosen asset's own first and last points.
 */
export function DetectForm({
  detectors,
  assets,
  detectorId,
  onSelect,
  onStarted,
}: {
  detectors: Detector[];
  assets: Asset[];
  detectorId: number;
  onSelect: (detectorId: number) => void;
  onStarted: (detectionId: number) => void;
}) {
  const { t } = useTranslation("anomaly");
  const detect = trpc.anomaly.detect.useMutation();
  const inspect = trpc.energy.uploads.inspect.useMutation();
  const [source, setSource] = useState<"range" | "upload">("range");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [file, setFile] = useState<{ name: string; b64: string } | null>(null);
  const [columns, setColumns] = useState<string[]>([]);
  const [tsCol, setTsCol] = useState<string | null>(null);
  const [valCol, setValCol] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const detector = detectors.find((d) => d.id === detectorId) ?? null;
  const asset = detector ? assets.find((a) => a.id === detector.assetId) : undefined;
  const assetName = asset?.name ?? t("assetFallback", { id: detector?.assetId ?? 0 });

  const pick = async (f: File | null) => {
    setError(null);
    if (!f) return setFile(null);
    const b64 = await toBase64(f);
    setFile({ name: f.name, b64 });
    const r = await inspect.mutateAsync({ fileName: f.name, contentBase64: b64 });
    if (!r.ok) return setError(r.reasons.join("; "));
    const names = r.columns.map((c) => c.name);
    setColumns(names);
    setTsCol(r.columns.find((c) => c.inferredType === "timestamp")?.name ?? names[0] ?? null);
    setValCol(r.columns.find((c) => c.inferredType === "numeric")?.name ?? names[1] ?? null);
  };

  const start = async () => {
    setError(null);
    setFields({});
    if (!detector) return setFields({ detectorId: t("detect.chooseDetector") });
    const fromTs = parseUtc(from);
    const toTs = parseUtc(to);
    if (source === "range" && from.trim() && fromTs === null) return setFields({ from: t("notATime") });
    if (source === "range" && to.trim() && toTs === null) return setFields({ to: t("notATime") });
    try {
      const d =
        source === "range"
          ? await detect.mutateAsync({ source, detectorId: detector.id, from: fromTs, to: toTs })
          : await detect.mutateAsync({
              source,
              detectorId: detector.id,
              fileName: file!.name,
              contentBase64: file!.b64,
              mapping: { timestampColumn: tsCol ?? "", targetColumn: valCol ?? "", covariates: [] },
            });
      onStarted(d.id);
    } catch (e) {
      const r = serverFieldErrors(e);
      setFields(r.fields);
      // Fields the form does not show (the file's column mapping) are said in the message.
      const hidden = Object.entries(r.fields).filter(([k]) => !["detectorId", "from", "to"].includes(k));
      setError(hidden.length ? hidden.map(([, m]) => m).join("; ") : r.message);
    }
  };

  return (
    <Card withBorder data-testid="anomaly-detect-form">
      <Stack gap="sm">
        <Text fw={600}>{t("detect.title")}</Text>
        <Select
          label={t("detect.detector")}
          data={detectors.map((d) => ({ value: String(d.id), label: `#${d.id} ${d.name}` }))}
          value={detector ? String(detector.id) : null}
          onChange={(v) => v && onSelect(Number(v))}
          error={fields.detectorId}
          allowDeselect={false}
          maw={520}
          data-testid="anomaly-detect-detector"
        />
        {detector && <DetectorSummary d={detector} asset={assetName} />}
        <SegmentedControl
          value={source}
          onChange={(v) => setSource(v as "range" | "upload")}
          data={[
            { value: "range", label: t("detect.sourceRange") },
            { value: "upload", label: t("detect.sourceUpload") },
          ]}
        />
        {source === "range" ? (
          <>
            {asset?.firstTs && asset.lastTs && (
              <Text size="xs" c="dimmed" data-testid="anomaly-detect-asset-range">
                {t("detect.assetRange", {
                  asset: assetName,
                  from: fmtMinute(asset.firstTs),
                  to: fmtMinute(asset.lastTs),
                })}
              </Text>
            )}
            <Group grow align="start">
              <TextInput
                label={t("detect.from")}
                placeholder={asset?.firstTs ? fmtMinute(asset.firstTs) : t("timeFormat")}
                value={from}
                onChange={(e) => setFrom(e.currentTarget.value)}
                error={fields.from}
                data-testid="anomaly-detect-from"
              />
              <TextInput
                label={t("detect.to")}
                placeholder={asset?.lastTs ? fmtMinute(asset.lastTs) : t("timeFormat")}
                value={to}
                onChange={(e) => setTo(e.currentTarget.value)}
                error={fields.to}
                data-testid="anomaly-detect-to"
              />
            </Group>
          </>
        ) : (
          <Group grow align="end">
            <FileInput
              label={t("detect.file")}
              accept=".csv,.xlsx"
              onChange={(f) => void pick(f)}
              data-testid="anomaly-detect-file"
            />
            <Select label={t("detect.timestampColumn")} data={columns} value={tsCol} onChange={setTsCol} />
            <Select label={t("detect.valueColumn")} data={columns} value={valCol} onChange={setValCol} />
          </Group>
        )}
        {error && (
          <Alert color="red" data-testid="anomaly-detect-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button
            onClick={() => void start()}
            loading={detect.isPending}
            disabled={!detector || (source === "upload" && (!file || !tsCol || !valCol))}
            data-testid="anomaly-detect-submit"
          >
            {t("detect.submit")}
          </Button>
          <QuotaLine kind="jobs" />
        </Group>
      </Stack>
    </Card>
  );
}
