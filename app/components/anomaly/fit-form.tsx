import { useState } from "react";
import {
  Alert,
  Button,
  Card,
  Group,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  TextInput,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { fitDetectorInput } from "../../../server/schemas/anomaly";
import { DEFAULT_STREAMING } from "../../../server/services/anomaly/streaming";
import { serverFieldErrors, zodValidate } from "../../lib/form-errors";
import { trpc } from "../../lib/trpc";

interface Values {
  modelVersionId: number | null;
  name: string;
  lowQuantile: number | null;
  highQuantile: number | null;
  scoreMode: "raw" | "width";
  mergeGap: number;
  fitTo: number | null;
}

const parseUtc = (s: string) => {
  const t = Date.parse(s.replace(" ", "T") + (s.includes("Z") ? "" : "Z"));
  return s && Number.isFinite(t) ? t : null;
};

/**
 * A streaming detector on an asset (the default): probation the first 15 % of the asset (at
 * most 750 points) or up to a chosen time, the threshold the NAB bench chose.
 */
function StreamingFit({
  assets,
  onFitted,
}: {
  assets: { value: string; label: string }[];
  onFitted: (id: number) => void;
}) {
  const fit = trpc.anomaly.fitStreaming.useMutation();
  const [assetId, setAssetId] = useState<string | null>(assets[0]?.value ?? null);
  const [name, setName] = useState("");
  const [probationFrom, setProbationFrom] = useState("");
  const [probationTo, setProbationTo] = useState("");
  const [threshold, setThreshold] = useState<number>(DEFAULT_STREAMING.threshold);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setError(null);
    setFields({});
    if (!assetId) return setFields({ assetId: "Choose an asset" });
    const from = parseUtc(probationFrom);
    const to = parseUtc(probationTo);
    if (probationFrom && from === null) return setFields({ probationFrom: "Not a time: use YYYY-MM-DD HH:MM (UTC)" });
    if (probationTo && to === null) return setFields({ probationTo: "Not a time: use YYYY-MM-DD HH:MM (UTC)" });
    try {
      const d = await fit.mutateAsync({
        assetId: Number(assetId),
        name: name || undefined,
        probationFrom: from ?? undefined,
        probationTo: to ?? undefined,
        threshold,
      });
      onFitted(d.id);
    } catch (err) {
      const r = serverFieldErrors(err);
      setFields(r.fields as Record<string, string>);
      setError(r.message);
    }
  };
  return (
    <form onSubmit={submit} data-testid="anomaly-fit-streaming-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Reads the asset's values as a stream: it learns during probation (by default the first 15 % of the points, at
          most 750), then scores each point from the points before it and keeps adapting. An alert fires when the score
          reaches the threshold, once per anomaly. No model version needed; labelled windows are never used.
        </Text>
        <Group align="start" grow>
          <Select
            label="Asset"
            data={assets}
            value={assetId}
            onChange={setAssetId}
            error={fields.assetId}
            data-testid="anomaly-fit-asset"
            allowDeselect={false}
          />
          <TextInput label="Name (optional)" value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput
            label="Probation from (UTC, optional)"
            placeholder="default: the first point"
            value={probationFrom}
            onChange={(e) => setProbationFrom(e.currentTarget.value)}
            error={fields.probationFrom}
            data-testid="anomaly-fit-probation-from"
          />
          <TextInput
            label="Probation up to (UTC, optional)"
            placeholder="default: first 15 %"
            value={probationTo}
            onChange={(e) => setProbationTo(e.currentTarget.value)}
            error={fields.probationTo}
            data-testid="anomaly-fit-probation-to"
          />
          <NumberInput
            label="Threshold (score 0–1)"
            min={0.005}
            max={1}
            step={0.01}
            decimalScale={3}
            value={threshold}
            onChange={(v) => setThreshold(Number(v))}
            error={fields.threshold}
            data-testid="anomaly-fit-threshold"
            description={`Default ${DEFAULT_STREAMING.threshold}: chosen on NAB (bench/nab)`}
          />
        </Group>
        {error && (
          <Alert color="red" data-testid="anomaly-fit-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={fit.isPending} disabled={!assets.length} data-testid="anomaly-fit-submit">
            Create streaming detector
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** Fits a detector: streaming on an asset (default) or quantile thresholds on a ready version's residuals. */
export function FitForm({
  versions,
  assets,
  onFitted,
}: {
  versions: { value: string; label: string }[];
  assets: { value: string; label: string }[];
  onFitted: (id: number) => void;
}) {
  const [kind, setKind] = useState<"streaming" | "quantile">("streaming");
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>Fit a detector</Text>
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as typeof kind)}
            data-testid="anomaly-fit-kind"
            data={[
              { value: "streaming", label: "Streaming (default)" },
              { value: "quantile", label: "Quantile of forecast residuals" },
            ]}
          />
        </Group>
        {kind === "streaming" ? (
          <StreamingFit assets={assets} onFitted={onFitted} />
        ) : (
          <QuantileFit versions={versions} onFitted={onFitted} />
        )}
      </Stack>
    </Card>
  );
}

/** Fits a quantile detector on a ready version (default range: the version's training part). */
function QuantileFit({
  versions,
  onFitted,
}: {
  versions: { value: string; label: string }[];
  onFitted: (id: number) => void;
}) {
  const fit = trpc.anomaly.fit.useMutation();
  const [error, setError] = useState<string | null>(null);
  const [fitToText, setFitToText] = useState("");
  const form = useForm<Values>({
    initialValues: {
      modelVersionId: versions[0] ? Number(versions[0].value) : null,
      name: "",
      lowQuantile: null,
      highQuantile: 0.99,
      scoreMode: "raw",
      mergeGap: 12,
      fitTo: null,
    },
    validate: zodValidate(fitDetectorInput),
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const d = await fit.mutateAsync({
        ...v,
        modelVersionId: v.modelVersionId!,
        name: v.name || undefined,
        fitTo: v.fitTo ?? undefined,
      });
      onFitted(d.id);
    } catch (e) {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    }
  });
  return (
    <form onSubmit={submit} data-testid="anomaly-fit-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          Score = |value − median forecast| (or divided by the 10–90 % width) on clean points: not dropout-flagged,
          outside labelled anomaly windows, by default the version's training part. Thresholds are the chosen quantiles
          of those scores; leave one empty for a one-sided detector.
        </Text>
        <Group align="start" grow>
          <Select
            label="Model version"
            data={versions}
            data-testid="anomaly-fit-version"
            value={form.values.modelVersionId ? String(form.values.modelVersionId) : null}
            onChange={(v) => form.setFieldValue("modelVersionId", v ? Number(v) : null)}
            error={form.errors.modelVersionId}
          />
          <TextInput label="Name (optional)" {...form.getInputProps("name")} />
        </Group>
        <Group align="start" grow>
          <NumberInput
            label="Low quantile"
            placeholder="unset"
            min={0}
            max={1}
            step={0.001}
            decimalScale={4}
            data-testid="anomaly-fit-low"
            value={form.values.lowQuantile ?? ""}
            onChange={(v) => form.setFieldValue("lowQuantile", v === "" ? null : Number(v))}
            error={form.errors.lowQuantile}
          />
          <NumberInput
            label="High quantile"
            placeholder="unset"
            min={0}
            max={1}
            step={0.001}
            decimalScale={4}
            data-testid="anomaly-fit-high"
            value={form.values.highQuantile ?? ""}
            onChange={(v) => form.setFieldValue("highQuantile", v === "" ? null : Number(v))}
            error={form.errors.highQuantile}
          />
          <Select
            label="Score"
            data={[
              { value: "raw", label: "|y − median|" },
              { value: "width", label: "|y − median| / (q90 − q10)" },
            ]}
            {...form.getInputProps("scoreMode")}
            data-testid="anomaly-fit-mode"
            allowDeselect={false}
          />
          <NumberInput
            label="Merge gap (points)"
            min={1}
            {...form.getInputProps("mergeGap")}
            data-testid="anomaly-fit-gap"
          />
          <TextInput
            label="Fit on data up to (UTC, optional)"
            placeholder="2013-12-10 00:00"
            value={fitToText}
            error={form.errors.fitTo}
            data-testid="anomaly-fit-to"
            onChange={(e) => {
              setFitToText(e.currentTarget.value);
              const t = Date.parse(
                e.currentTarget.value.replace(" ", "T") + (e.currentTarget.value.includes("Z") ? "" : "Z"),
              );
              form.setFieldValue("fitTo", e.currentTarget.value && Number.isFinite(t) ? t : null);
            }}
          />
        </Group>
        {error && (
          <Alert color="red" data-testid="anomaly-fit-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={fit.isPending} disabled={!versions.length} data-testid="anomaly-fit-submit">
            Fit detector
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
