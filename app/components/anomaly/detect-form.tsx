import { useState } from "react";
import { Alert, Button, Card, FileInput, Group, SegmentedControl, Select, Stack, Text, TextInput } from "@mantine/core";
import { QuotaLine } from "../quota-line";
import { serverFieldErrors } from "../../lib/form-errors";
import { trpc } from "../../lib/trpc";

async function toBase64(file: File): Promise<string> {
  const buf = new Uint8Array(await file.arrayBuffer());
  let s = "";
  for (let i = 0; i < buf.length; i += 0x8000) s += String.fromCharCode(...buf.subarray(i, i + 0x8000));
  return btoa(s);
}

const parseUtc = (s: string) => (s ? Date.parse(s.replace(" ", "T") + (s.endsWith("Z") ? "" : "Z")) : NaN);

/** Starts a batch detection (energy.detect job) over a time range of the asset or an uploaded file. */
export function DetectForm({
  detectorId,
  onStarted,
}: {
  detectorId: number;
  onStarted: (detectionId: number) => void;
}) {
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
    try {
      const d =
        source === "range"
          ? await detect.mutateAsync({
              source,
              detectorId,
              from: Number.isFinite(parseUtc(from)) ? parseUtc(from) : null,
              to: Number.isFinite(parseUtc(to)) ? parseUtc(to) : null,
            })
          : await detect.mutateAsync({
              source,
              detectorId,
              fileName: file!.name,
              contentBase64: file!.b64,
              mapping: { timestampColumn: tsCol ?? "", targetColumn: valCol ?? "", covariates: [] },
            });
      onStarted(d.id);
    } catch (e) {
      setError(serverFieldErrors(e).message);
    }
  };

  return (
    <Card withBorder data-testid="anomaly-detect-form">
      <Stack gap="sm">
        <Text fw={600}>Run a detection</Text>
        <SegmentedControl
          value={source}
          onChange={(v) => setSource(v as "range" | "upload")}
          data={[
            { value: "range", label: "Time range of the asset" },
            { value: "upload", label: "Uploaded file" },
          ]}
        />
        {source === "range" ? (
          <Group grow>
            <TextInput
              label="From (UTC, empty = first point)"
              placeholder="2014-02-01 00:00"
              value={from}
              onChange={(e) => setFrom(e.currentTarget.value)}
              data-testid="anomaly-detect-from"
            />
            <TextInput
              label="To (UTC, empty = last point)"
              value={to}
              onChange={(e) => setTo(e.currentTarget.value)}
              data-testid="anomaly-detect-to"
            />
          </Group>
        ) : (
          <Group grow align="end">
            <FileInput
              label="CSV or XLSX file"
              accept=".csv,.xlsx"
              onChange={(f) => void pick(f)}
              data-testid="anomaly-detect-file"
            />
            <Select label="Timestamp column" data={columns} value={tsCol} onChange={setTsCol} />
            <Select label="Value column" data={columns} value={valCol} onChange={setValCol} />
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
            disabled={source === "upload" && (!file || !tsCol || !valCol)}
            data-testid="anomaly-detect-submit"
          >
            Detect
          </Button>
          <QuotaLine kind="jobs" />
        </Group>
      </Stack>
    </Card>
  );
}
