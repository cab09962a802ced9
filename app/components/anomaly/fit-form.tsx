import { useState } from "react";
import { Alert, Button, Card, Group, NumberInput, Select, Stack, Text, TextInput } from "@mantine/core";
import { useForm } from "@mantine/form";
import { fitDetectorInput } from "../../../server/schemas/anomaly";
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

/** Fits a quantile detector on a ready version (default range: the version's training part). */
export function FitForm({ versions, onFitted }: { versions: { value: string; label: string }[]; onFitted: (id: number) => void }) {
  const fit = trpc.anomaly.fit.useMutation();
  const [error, setError] = useState<string | null>(null);
  const [fitToText, setFitToText] = useState("");
  const form = useForm<Values>({
    initialValues: { modelVersionId: versions[0] ? Number(versions[0].value) : null, name: "", lowQuantile: null, highQuantile: 0.99, scoreMode: "raw", mergeGap: 12, fitTo: null },
    validate: zodValidate(fitDetectorInput),
  });
  const submit = form.onSubmit(async (v) => {
    setError(null);
    try {
      const d = await fit.mutateAsync({ ...v, modelVersionId: v.modelVersionId!, name: v.name || undefined, fitTo: v.fitTo ?? undefined });
      onFitted(d.id);
    } catch (e) {
      const { fields, message } = serverFieldErrors(e);
      form.setErrors(fields);
      setError(message);
    }
  });
  return (
    <Card withBorder>
      <form onSubmit={submit} data-testid="anomaly-fit-form">
        <Stack gap="sm">
          <Text fw={600}>Fit a detector</Text>
          <Text size="sm" c="dimmed">Score = |value − median forecast| (or divided by the 10–90 % width) on clean points: not dropout-flagged, outside labelled anomaly windows, by default the version's training part. Thresholds are the chosen quantiles of those scores; leave one empty for a one-sided detector.</Text>
          <Group align="start" grow>
            <Select label="Model version" data={versions} data-testid="anomaly-fit-version" value={form.values.modelVersionId ? String(form.values.modelVersionId) : null}
              onChange={(v) => form.setFieldValue("modelVersionId", v ? Number(v) : null)} error={form.errors.modelVersionId} />
            <TextInput label="Name (optional)" {...form.getInputProps("name")} />
          </Group>
          <Group align="start" grow>
            <NumberInput label="Low quantile" placeholder="unset" min={0} max={1} step={0.001} decimalScale={4} data-testid="anomaly-fit-low"
              value={form.values.lowQuantile ?? ""} onChange={(v) => form.setFieldValue("lowQuantile", v === "" ? null : Number(v))} error={form.errors.lowQuantile} />
            <NumberInput label="High quantile" placeholder="unset" min={0} max={1} step={0.001} decimalScale={4} data-testid="anomaly-fit-high"
              value={form.values.highQuantile ?? ""} onChange={(v) => form.setFieldValue("highQuantile", v === "" ? null : Number(v))} error={form.errors.highQuantile} />
            <Select label="Score" data={[{ value: "raw", label: "|y − median|" }, { value: "width", label: "|y − median| / (q90 − q10)" }]} {...form.getInputProps("scoreMode")} data-testid="anomaly-fit-mode" allowDeselect={false} />
            <NumberInput label="Merge gap (points)" min={1} {...form.getInputProps("mergeGap")} data-testid="anomaly-fit-gap" />
            <TextInput label="Fit on data up to (UTC, optional)" placeholder="2013-12-10 00:00" value={fitToText} error={form.errors.fitTo} data-testid="anomaly-fit-to"
              onChange={(e) => {
                setFitToText(e.currentTarget.value);
                const t = Date.parse(e.currentTarget.value.replace(" ", "T") + (e.currentTarget.value.includes("Z") ? "" : "Z"));
                form.setFieldValue("fitTo", e.currentTarget.value && Number.isFinite(t) ? t : null);
              }} />
          </Group>
          {error && <Alert color="red" data-testid="anomaly-fit-error">{error}</Alert>}
          <Group><Button type="submit" loading={fit.isPending} disabled={!versions.length} data-testid="anomaly-fit-submit">Fit detector</Button></Group>
        </Stack>
      </form>
    </Card>
  );
}
