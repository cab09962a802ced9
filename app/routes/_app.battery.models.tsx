import { useState } from "react";
import { Link, useSearchParams } from "@remix-run/react";
import {
  Alert,
  Anchor,
  Button,
  Group,
  Loader,
  Modal,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { serverFieldErrors } from "../lib/form-errors";
import { formatDateTime } from "../lib/dates";
import { useVersionNumbers } from "../lib/version-numbers";

const ALL = "all";
import {
  ALGORITHMS,
  ALGORITHM_LABELS,
  TARGET_CHOICES,
  renameModelInput,
  type Algorithm,
  type TargetChoice,
} from "../../server/schemas/training";

type Summary = Record<string, Record<string, Record<string, { mean: number; std: number }>>> | null;

function testFigure(metrics: Summary, target: TargetChoice): string {
  const t = target === "both" ? "pcl" : target;
  const m = metrics?.test?.[t] ?? metrics?.val?.[t];
  if (!m) return "–";
  const split = metrics?.test?.[t] ? "test" : "val";
  return t === "pcl"
    ? `${split} SoH RMSPE ${(100 * m.rmspe.mean).toFixed(3)}%`
    : `${split} RMSE ${m.rmse.mean.toFixed(1)} cycles`;
}

export default function ModelLibrary() {
  const [params] = useSearchParams();
  const highlight = Number(params.get("highlight") ?? 0);
  const utils = trpc.useUtils();
  const [algorithm, setAlgorithm] = useState<Algorithm | null>(null);
  const [target, setTarget] = useState<TargetChoice | null>(null);
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const datasets = trpc.battery.listDatasets.useQuery();
  const versionNo = useVersionNumbers();
  // Always fetched on opening: the cached list may predate a version a task stored seconds ago.
  const models = trpc.models.list.useQuery(
    { algorithm: algorithm ?? undefined, target: target ?? undefined, datasetId: datasetId ?? undefined },
    { refetchOnMount: "always" },
  );
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const [deleting, setDeleting] = useState<{ id: number; name: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [renameError, setRenameError] = useState<string | null>(null);
  const rename = trpc.models.rename.useMutation({
    onSuccess: () => (setRenaming(null), utils.models.list.invalidate()),
    // The error belongs to the name field inside the modal, where the user is typing.
    onError: (e) => setRenameError(serverFieldErrors(e).fields.name ?? e.message),
  });
  const remove = trpc.models.delete.useMutation({
    onSuccess: () => (setDeleting(null), utils.models.list.invalidate()),
    onError: (e) => setError(e.message),
  });

  async function download(id: number) {
    const f = await utils.models.downloadOnnx.fetch({ id });
    const bytes = Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0));
    const url = URL.createObjectURL(new Blob([bytes], { type: "application/octet-stream" }));
    const a = document.createElement("a");
    a.href = url;
    a.download = f.fileName;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Model library</Title>
        <Group>
          <Button component={Link} to="/battery/train">
            Train models
          </Button>
          <Anchor component={Link} to="/battery/tasks">
            Training tasks
          </Anchor>
        </Group>
      </Group>
      <Group align="end">
        <Select
          label="Algorithm"
          allowDeselect={false}
          data={[
            { value: ALL, label: "All algorithms" },
            ...ALGORITHMS.map((a) => ({ value: a, label: ALGORITHM_LABELS[a] })),
          ]}
          value={algorithm ?? ALL}
          onChange={(v) => setAlgorithm(!v || v === ALL ? null : (v as Algorithm))}
          data-testid="filter-algorithm"
          w={200}
        />
        <Select
          label="Target"
          allowDeselect={false}
          data={[
            { value: ALL, label: "All targets" },
            ...TARGET_CHOICES.map((t) => ({ value: t, label: t.toUpperCase() })),
          ]}
          value={target ?? ALL}
          onChange={(v) => setTarget(!v || v === ALL ? null : (v as TargetChoice))}
          data-testid="filter-target"
          w={160}
        />
        <Select
          label="Dataset"
          allowDeselect={false}
          data={[
            { value: ALL, label: "All datasets" },
            ...(datasets.data ?? []).map((d) => ({ value: String(d.id), label: d.name })),
          ]}
          value={datasetId ? String(datasetId) : ALL}
          onChange={(v) => setDatasetId(v && v !== ALL ? Number(v) : null)}
          data-testid="filter-dataset"
          w={320}
        />
      </Group>
      {error ? (
        <Alert color="red" withCloseButton onClose={() => setError(null)}>
          {error}
        </Alert>
      ) : null}
      {models.isLoading ? <Loader /> : null}
      {models.data && !models.data.length ? (
        <Text c="dimmed">
          No model versions{algorithm || target || datasetId ? " match these filters" : " yet: train a task"}.
        </Text>
      ) : null}
      {models.data?.length ? (
        <Table striped data-testid="model-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Name</Table.Th>
              <Table.Th>Algorithm</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Dataset</Table.Th>
              <Table.Th>Split · features</Table.Th>
              <Table.Th>Kept epoch</Table.Th>
              <Table.Th>Figure</Table.Th>
              <Table.Th>Created</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {models.data.map((m) => (
              <Table.Tr
                key={m.id}
                data-testid="model-row"
                data-algorithm={m.algorithm}
                bg={m.id === highlight ? "teal.0" : undefined}
              >
                <Table.Td title={`id ${m.id}`} data-testid="model-number">
                  {versionNo(m.id)}
                </Table.Td>
                <Table.Td data-testid="model-name">{m.name}</Table.Td>
                <Table.Td>{ALGORITHM_LABELS[m.algorithm]}</Table.Td>
                <Table.Td>{m.target.toUpperCase()}</Table.Td>
                <Table.Td>{m.datasetName}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {m.split} · {m.features.join(", ")}
                  </Text>
                </Table.Td>
                <Table.Td>{m.bestEpoch}</Table.Td>
                <Table.Td>{testFigure(m.metrics as Summary, m.target)}</Table.Td>
                <Table.Td>{formatDateTime(m.createdAt)}</Table.Td>
                <Table.Td>
                  <Group gap={4} maw={260}>
                    <Button
                      size="compact-xs"
                      variant="light"
                      onClick={() => void download(m.id)}
                      data-testid="download-onnx"
                    >
                      ONNX
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="subtle"
                      onClick={() => (setRenameError(null), setRenaming({ id: m.id, name: m.name }))}
                      data-testid="rename-model"
                    >
                      Rename
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="light"
                      component={Link}
                      to={`/battery/tests?version=${m.id}`}
                      data-testid="test-model"
                    >
                      Test this version
                    </Button>
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="subtle"
                      onClick={() => setDeleting({ id: m.id, name: m.name })}
                      data-testid="delete-model"
                    >
                      Delete
                    </Button>
                    {m.taskId ? (
                      <Anchor component={Link} to={`/battery/tasks/${m.taskId}`} size="xs">
                        task
                      </Anchor>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Modal opened={!!renaming} onClose={() => setRenaming(null)} title="Rename model version">
        {renaming ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              // Checked here first with the server's own schema: the message stays by the field.
              const ok = renameModelInput.safeParse(renaming);
              if (ok.success) rename.mutate(renaming);
              else setRenameError(ok.error.issues[0]?.message ?? "Invalid name");
            }}
          >
            <TextInput
              label="Name"
              value={renaming.name}
              error={renameError}
              onChange={(e) => (setRenameError(null), setRenaming({ ...renaming, name: e.currentTarget.value }))}
              data-testid="rename-input"
            />
            <Group mt="md" justify="end">
              <Button type="submit" loading={rename.isPending} data-testid="rename-save">
                Save
              </Button>
            </Group>
          </form>
        ) : null}
      </Modal>
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title="Delete model version">
        <Text size="sm">
          Delete “{deleting?.name}” and its files (checkpoint, ONNX, config)? This cannot be undone.
        </Text>
        <Group mt="md" justify="end">
          <Button variant="default" onClick={() => setDeleting(null)}>
            Keep
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => deleting && remove.mutate({ id: deleting.id })}
            data-testid="delete-confirm"
          >
            Delete
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
