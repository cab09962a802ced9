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
import { trpc, type RouterOutputs } from "../lib/trpc";
import { QuotaLine } from "../components/quota-line";
import { UPLOAD_LIMITS } from "../../server/schemas/battery";
import { formatDateTime } from "../lib/dates";

type Result = RouterOutputs["battery"]["upload"];

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ""));
    r.onerror = () => reject(r.error);
    r.readAsDataURL(file);
  });
}

export default function BatteryUploads() {
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
        <Title order={2}>Battery uploads</Title>
        <Anchor component={Link} to="/battery/analysis">
          Analyse
        </Anchor>
      </Group>
      <Card withBorder padding="md">
        <Text size="sm">
          A CSV or XLSX file (first sheet), one row per (cell, cycle), with a header row: a cell id column (
          <code>cell_id</code>, <code>cell</code>), <code>cycle</code>, any numeric feature columns, and{" "}
          <code>rul</code> and/or <code>pcl</code> — or a discharge capacity column (<code>qdischarge_ah</code>,{" "}
          <code>discharge_capacity_ah</code>, <code>capacity_ah</code> or <code>qd</code>) with the nominal capacity
          below, from which PCL = 1 − Qd/nominal and, with the end-of-life SoH, RUL are derived. The discharge capacity
          is stored but never offered as an input. Empty feature cells are stored as missing.
        </Text>
        <Text size="sm" mt="xs" data-testid="upload-limits">
          Limits: {UPLOAD_LIMITS.maxBytes / 2 ** 20} MB, {UPLOAD_LIMITS.maxRows.toLocaleString("en")} rows,{" "}
          {UPLOAD_LIMITS.maxCells.toLocaleString("en")} cells, {UPLOAD_LIMITS.maxFeatures} feature columns. An invalid
          file is rejected as a whole and nothing is stored.
        </Text>
        <Group mt="sm" align="end">
          <TextInput
            label="Dataset name (optional)"
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            w={260}
          />
          <NumberInput
            label="Nominal capacity (Ah)"
            value={nominal}
            onChange={setNominal}
            min={0}
            decimalScale={4}
            w={180}
            data-testid="nominal-input"
          />
          <NumberInput
            label="End of life at SoH"
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
              problems: r.flatMap((f) => f.errors.map((e) => ({ row: null, column: null, message: e.message }))),
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
            <Text fw={600}>Drop a .csv or .xlsx file here, or click to choose one</Text>
            <Text size="sm" c="dimmed">
              up to 20 MB
            </Text>
          </Stack>
        </Dropzone>
        <QuotaLine kind="uploads" />
        {upload.error ? (
          <Alert color="red" mt="sm">
            {upload.error.message}
          </Alert>
        ) : null}
        {result && !result.ok ? (
          <Alert
            color="red"
            mt="sm"
            title={`${result.fileName} was rejected: nothing was stored`}
            data-testid="upload-problems"
          >
            <Table>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Row</Table.Th>
                  <Table.Th>Column</Table.Th>
                  <Table.Th>Problem</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {result.problems.map((p, i) => (
                  <Table.Tr key={i}>
                    <Table.Td>{p.row ?? "–"}</Table.Td>
                    <Table.Td>{p.column ?? "–"}</Table.Td>
                    <Table.Td>{p.message}</Table.Td>
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
            title={`${result.fileName}: ${result.cells} cells, ${result.rows.toLocaleString("en")} rows stored`}
            data-testid="upload-ok"
          >
            <Text size="sm">Features: {result.features.join(", ") || "none"}</Text>
            {result.warnings.length ? (
              <List size="sm">
                {result.warnings.map((w) => (
                  <List.Item key={w}>{w}</List.Item>
                ))}
              </List>
            ) : null}
          </Alert>
        ) : null}
      </Card>
      <Card withBorder padding="md">
        <Title order={4} mb="sm">
          Your uploads
        </Title>
        <Table striped data-testid="upload-list">
          <Table.Thead>
            <Table.Tr>
              {["File", "Dataset", "Format", "Size", "Rows", "Cells", "Features", "Uploaded", ""].map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {(uploads.data ?? []).map((u) => (
              <Table.Tr key={u.id}>
                <Table.Td>{u.originalName}</Table.Td>
                <Table.Td>{u.datasetName}</Table.Td>
                <Table.Td>{u.format}</Table.Td>
                <Table.Td>{(u.sizeBytes / 1024).toFixed(1)} KB</Table.Td>
                <Table.Td>{u.rowCount.toLocaleString("en")}</Table.Td>
                <Table.Td>{u.cellCount}</Table.Td>
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
                    Delete
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {uploads.data?.length === 0 ? (
          <Text size="sm" c="dimmed">
            No uploads yet.
          </Text>
        ) : null}
      </Card>
    </Stack>
  );
}

export function meta() {
  return [{ title: "Battery uploads · VoltLab" }];
}
