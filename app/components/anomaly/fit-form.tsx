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
import { useTranslation } from "react-i18next";
import { fitDetectorInput, HIGH_QUANTILE_MIN } from "../../../server/schemas/anomaly";
import { DEFAULT_STREAMING } from "../../../server/services/anomaly/streaming";
import { serverFieldErrors, zodValidate } from "../../lib/form-errors";
import { useFormat } from "../../lib/format";
import { trpc } from "../../lib/trpc";
import { parseUtc } from "./times";
import { scoreFormula } from "./score-formula";

interface Values {
  modelVersionId: number | null;
  name: string;
  highQuantile: number | null;
  scoreMode: "raw" | "width";
  mergeGap: number;
  fitTo: number | null;
}

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
  const { t } = useTranslation("anomaly");
  const { n } = useFormat();
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
    if (!assetId) return setFields({ assetId: t("fit.chooseAsset") });
    const from = parseUtc(probationFrom);
    const to = parseUtc(probationTo);
    if (probationFrom.trim() && from === null) return setFields({ probationFrom: t("notATime") });
    if (probationTo.trim() && to === null) return setFields({ probationTo: t("notATime") });
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
          {t("fit.streamingIntro")}
        </Text>
        <Group align="start" grow>
          <Select
            label={t("fit.asset")}
            data={assets}
            value={assetId}
            onChange={setAssetId}
            error={fields.assetId}
            data-testid="anomaly-fit-asset"
            allowDeselect={false}
          />
          <TextInput label={t("fit.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} />
          <TextInput
            label={t("fit.probationFrom")}
            placeholder={t("fit.probationFromPlaceholder")}
            value={probationFrom}
            onChange={(e) => setProbationFrom(e.currentTarget.value)}
            error={fields.probationFrom}
            data-testid="anomaly-fit-probation-from"
          />
          <TextInput
            label={t("fit.probationTo")}
            placeholder={t("fit.probationToPlaceholder")}
            value={probationTo}
            onChange={(e) => setProbationTo(e.currentTarget.value)}
            error={fields.probationTo}
            data-testid="anomaly-fit-probation-to"
          />
          <NumberInput
            label={t("fit.threshold")}
            min={0.005}
            max={1}
            step={0.01}
            decimalScale={3}
            value={threshold}
            onChange={(v) => setThreshold(Number(v))}
            error={fields.threshold}
            data-testid="anomaly-fit-threshold"
            description={t("fit.thresholdHelp", { threshold: n(DEFAULT_STREAMING.threshold) })}
          />
        </Group>
        {error && (
          <Alert color="red" data-testid="anomaly-fit-error">
            {error}
          </Alert>
        )}
        <Group>
          <Button type="submit" loading={fit.isPending} disabled={!assets.length} data-testid="anomaly-fit-submit">
            {t("fit.createStreaming")}
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
  const { t } = useTranslation("anomaly");
  const [kind, setKind] = useState<"streaming" | "quantile">("streaming");
  return (
    <Card withBorder>
      <Stack gap="sm">
        <Group justify="space-between">
          <Text fw={600}>{t("fit.title")}</Text>
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v as typeof kind)}
            data-testid="anomaly-fit-kind"
            data={[
              { value: "streaming", label: t("fit.kindStreaming") },
              { value: "quantile", label: t("fit.kindQuantile") },
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

/**
 * Fits a quantile detector on a ready version (default range: the version's training part). Only
 * a high quantile: the score is a distance from the forecast, so a low one would flag the points
 * the forecast predicts best (the schema refuses it, and a high quantile under HIGH_QUANTILE_MIN).
 */
function QuantileFit({
  versions,
  onFitted,
}: {
  versions: { value: string; label: string }[];
  onFitted: (id: number) => void;
}) {
  const { t } = useTranslation("anomaly");
  const fit = trpc.anomaly.fit.useMutation();
  const [error, setError] = useState<string | null>(null);
  const [fitToText, setFitToText] = useState("");
  const form = useForm<Values>({
    initialValues: {
      modelVersionId: versions[0] ? Number(versions[0].value) : null,
      name: "",
      highQuantile: 0.99,
      scoreMode: "raw",
      mergeGap: 12,
      fitTo: null,
    },
    validate: zodValidate(fitDetectorInput),
  });
  const fitSubmit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const d = await fit.mutateAsync({
        ...v,
        modelVersionId: v.modelVersionId!,
        highQuantile: v.highQuantile!,
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
  const submit = (e: React.FormEvent<HTMLFormElement>) => {
    if (fitToText.trim() && parseUtc(fitToText) === null) {
      e.preventDefault();
      return form.setFieldError("fitTo", t("notATime"));
    }
    fitSubmit(e);
  };
  return (
    <form onSubmit={submit} data-testid="anomaly-fit-form">
      <Stack gap="sm">
        <Text size="sm" c="dimmed">
          {t("fit.quantileIntro")}
        </Text>
        <Group align="start" grow>
          <Select
            label={t("fit.version")}
            data={versions}
            data-testid="anomaly-fit-version"
            value={form.values.modelVersionId ? String(form.values.modelVersionId) : null}
            onChange={(v) => form.setFieldValue("modelVersionId", v ? Number(v) : null)}
            error={form.errors.modelVersionId}
          />
          <TextInput label={t("fit.name")} {...form.getInputProps("name")} />
        </Group>
        <Group align="start" grow>
          <NumberInput
            label={t("fit.highQuantile")}
            description={t("fit.highQuantileHelp", { minimum: HIGH_QUANTILE_MIN })}
            min={HIGH_QUANTILE_MIN}
            max={0.9999}
            step={0.001}
            decimalScale={4}
            clampBehavior="none"
            data-testid="anomaly-fit-high"
            value={form.values.highQuantile ?? ""}
            onChange={(v) => form.setFieldValue("highQuantile", v === "" ? null : Number(v))}
            error={form.errors.highQuantile}
          />
          <Select
            label={t("fit.score")}
            data={[
              { value: "raw", label: scoreFormula("raw") },
              { value: "width", label: scoreFormula("width") },
            ]}
            {...form.getInputProps("scoreMode")}
            data-testid="anomaly-fit-mode"
            allowDeselect={false}
          />
          <NumberInput
            label={t("fit.mergeGap")}
            description={t("fit.mergeGapHelp")}
            min={1}
            {...form.getInputProps("mergeGap")}
            data-testid="anomaly-fit-gap"
          />
          <TextInput
            label={t("fit.fitTo")}
            placeholder={t("fit.fitToPlaceholder")}
            value={fitToText}
            error={form.errors.fitTo}
            data-testid="anomaly-fit-to"
            onChange={(e) => {
              setFitToText(e.currentTarget.value);
              form.setFieldValue("fitTo", parseUtc(e.currentTarget.value));
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
            {t("fit.submit")}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
