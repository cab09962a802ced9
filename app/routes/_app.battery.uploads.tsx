import { useState } from "react";
import { Link } from "@remix-run/react";
import {
  Alert,
  Anchor,
  Button,
  Card,
  Group,
  List,
  NumberInput,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { Dropzone } from "@mantine/dropzone";
import { Trans, useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { trpc, type RouterOutputs } from "../lib/trpc";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { errorMessage } from "../lib/form-errors";
import { QuotaLine } from "../components/quota-line";
import { UPLOAD_LIMITS } from "../../server/schemas/battery";
import { formatDateTime } from "../lib/dates";

type Result = RouterOutputs["battery"]["upload"];
type Problem = Extract<Result, { ok: false }>["problems"][number];

const COLUMNS = ["file", "dataset", "format", "size", "rows", "cells", "features", "uploaded"] as const;
const DROPZONE_ERRORS = ["file-too-large", "file-invalid-type", "too-many-files"] as const;
const MAX_MB = UPLOAD_LIMITS.maxBytes / 2 ** 20;

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export default function BatteryUploads() {
  const { t } = useTranslation(["battery", "common"]);
  const { n } = useFormat();
  // A problem the server names by its code reads in the user's language; other text as sent.
  const problemText = (p: Problem) =>
    "i18n" in p && p.i18n ? String(t(p.i18n.key as never, (p.i18n.params ?? {}) as never)) : p.message;
  const dropzoneError = (e: { code: string; message: string }) =>
    (DROPZONE_ERRORS as readonly string[]).includes(e.code)
      ? t(`uploads.dropzone.${e.code as (typeof DROPZONE_ERRORS)[number]}`, { mb: MAX_MB })
      : e.message;
  const utils = trpc.useUtils();
  const uploads = trpc.battery.listUploads.useQuery();
  const [name, setName] = useState("");
  const [nominal, setNominal] = useState<number | string>("");
  const [eol, setEol] = useState<number | string>(0.8);
  const [result, setResult] = useState<(Result & { fileName: string }) | null>(null);
  const upload = trpc.battery.upload.useMutation();
  const remove = trpc.battery.deleteUpload.useMutation({
    onSuccess: () => Promise.all([utils.battery.listUploads.invalidate(), utils.battery.listDatasets.invalidate()]),
  });

  async function onDrop(files: File[]) {
    const file = files[0];
    if (!file) return;
    const r = await upload.mutateAsync({
      fileName: file.name,
      contentBase64: await toBase64(file),
      name: name || undefined,
      nominalCapacityAh: typeof nominal === "number" ? nominal : undefined,
      eolSoh: typeof eol === "number" ? eol : 0.8,
    });
    setResult({ ...r, fileName: file.name });
    if (r.ok) await Promise.all([utils.battery.listUploads.invalidate(), utils.battery.listDatasets.invalidate()]);
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("uploads.title")}</Title>
        <Anchor component={Link} to="/battery/analysis">
          {t("uploads.analyse")}
        </Anchor>
      </Group>
      <Card withBorder padding="md">
        <Text size="sm">
          <Trans t={t} i18nKey="uploads.help" components={{ c: <code /> }} />
        </Text>
        <Text size="sm" mt="xs" data-testid="upload-limits">
          {t("uploads.limits", {
            mb: MAX_MB,
            rows: n(UPLOAD_LIMITS.maxRows),
            cells: n(UPLOAD_LIMITS.maxCells),
            features: UPLOAD_LIMITS.maxFeatures,
          })}
        </Text>
        <Group mt="sm" align="end">
          <TextInput label={t("uploads.name")} value={name} onChange={(e) => setName(e.currentTarget.value)} w={260} />
          <NumberInput
            label={t("uploads.nominal")}
            value={nominal}
            onChange={setNominal}
            min={0}
            decimalScale={4}
            w={180}
            data-testid="nominal-input"
          />
          <NumberInput
            label={t("uploads.eol")}
            value={eol}
            onChange={setEol}
            min={0.1}
            max={0.99}
            step={0.05}
            decimalScale={2}
            w={160}
          />
        </Group>
        <Dropzone
          mt="md"
          onDrop={onDrop}
          onReject={(r) =>
            setResult({
              ok: false,
              problems: r.flatMap((f) => f.errors.map((e) => ({ row: null, column: null, message: dropzoneError(e) }))),
              fileName: r[0]?.file.name ?? "",
            })
          }
          maxSize={UPLOAD_LIMITS.maxBytes}
          maxFiles={1}
          loading={upload.isPending}
          accept={{
            "text/csv": [".csv"],
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": [".xlsx"],
          }}
          data-testid="upload-dropzone"
        >
          <Stack align="center" gap={4} py="lg">
            <Text fw={600}>{t("uploads.drop")}</Text>
            <Text size="sm" c="dimmed">
              {t("uploads.upTo", { mb: MAX_MB })}
            </Text>
          </Stack>
        </Dropzone>
        <QuotaLine kind="uploads" />
        {upload.error ? (
          <Alert color="red" mt="sm">
            {errorMessage(upload.error)}
          </Alert>
        ) : null}
        {result && !result.ok ? (
          <Alert
            color="red"
            mt="sm"
            title={t("uploads.rejected", { file: result.fileName })}
            data-testid="upload-problems"
          >
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t("uploads.row")}</Table.Th>
                  <Table.Th>{t("uploads.column")}</Table.Th>
                  <Table.Th>{t("uploads.problem")}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.problems.map((p, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{p.row ?? "–"}</Table.Td>
                    <Table.Td>{p.column ?? "–"}</Table.Td>
                    <Table.Td>{problemText(p)}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Alert>
        ) : null}
        {result && result.ok ? (
          <Alert
            color="teal"
            mt="sm"
            title={t("uploads.stored", { file: result.fileName, cells: n(result.cells), rows: n(result.rows) })}
            data-testid="upload-ok"
          >
            <Text size="sm">{t("uploads.features", { list: result.features.join(", ") || t("none") })}</Text>
            {result.notes.length ? (
              <List size="sm">
                {result.notes.map((w, i) => (
                  <List.Item key={i}>{String(t(w.key as never, (w.params ?? {}) as never))}</List.Item>
                ))}
              </List>
            ) : null}
          </Alert>
        ) : null}
      </Card>
      <Card withBorder padding="md">
        <Title order={4} mb="sm">
          {t("uploads.yours")}
        </Title>
        <Table striped data-testid="upload-list">
          <Table.Thead>
            <Table.Tr>
              {COLUMNS.map((h) => (
                <Table.Th key={h}>{t(`uploads.columns.${h}`)}</Table.Th>
              ))}
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(uploads.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.originalName}</Table.Td>
                <Table.Td>{u.datasetName}</Table.Td>
                <Table.Td>{u.format}</Table.Td>
                <Table.Td>
                  {t("uploads.kb", {
                    kb: n(u.sizeBytes / 1024, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
                  })}
                </Table.Td>
                <Table.Td>{n(u.rowCount)}</Table.Td>
                <Table.Td>{n(u.cellCount)}</Table.Td>
                <Table.Td>{u.features.join(", ")}</Table.Td>
                <Table.Td>{formatDateTime(u.createdAt)}</Table.Td>
                <Table.Td>
                  <Button
                    size="xs"
                    color="red"
                    variant="light"
                    loading={remove.isPending && remove.variables?.id === u.id}
                    onClick={() => remove.mutate({ id: u.id })}
                    data-testid={`delete-upload-${u.id}`}
                  >
                    {t("uploads.delete")}
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {uploads.data?.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t("uploads.empty")}
          </Text>
        ) : null}
      </Card>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "battery:uploads.title");
