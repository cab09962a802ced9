import { useState } from "react";
import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import type { TFunction } from "i18next";
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
import { issueMessage } from "../lib/form-errors";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import {
  ALGORITHMS,
  TARGET_CHOICES,
  SPLIT_PRESETS,
  type SplitPreset,
  renameModelInput,
  type Algorithm,
  type TargetChoice,
} from "../../server/schemas/training";

const ALL = "all";

export const meta = (args: MetaArgs) => pageTitle(args, "training:models.title");

type Summary = Record<string, Record<string, Record<string, { mean: number; std: number }>>> | null;

/** The version's headline figure: test (else validation) SoH RMSPE for PCL, RMSE in cycles for RUL. */
function testFigure(
  tr: TFunction<"training">,
  n: (v: number, o?: Intl.NumberFormatOptions) => string,
  metrics: Summary,
  target: TargetChoice,
): string {
  const t = target === "both" ? "pcl" : target;
  const m = metrics?.test?.[t] ?? metrics?.val?.[t];
  if (!m) return "–";
  const test = !!metrics?.test?.[t];
  if (t === "pcl") {
    const value = n(m.rmspe.mean, { style: "percent", minimumFractionDigits: 3, maximumFractionDigits: 3 });
    return test ? tr("models.testSohRmspe", { value }) : tr("models.valSohRmspe", { value });
  }
  const value = n(m.rmse.mean, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  return test ? tr("models.testRmse", { value }) : tr("models.valRmse", { value });
}

export default function ModelLibrary() {
  const { t: tr } = useTranslation(["training", "common"]);
  const { n } = useFormat();
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
    onError: (e) => setRenameError(serverFieldErrors(e).fields.name ?? serverFieldErrors(e).message),
  });
  const remove = trpc.models.delete.useMutation({
    onSuccess: () => (setDeleting(null), utils.models.list.invalidate()),
    onError: (e) => setError(serverFieldErrors(e).message),
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
        <Title order={2}>{tr("models.title")}</Title>
        <Group>
          <Button component={Link} to="/battery/train">
            {tr("nav.train")}
          </Button>
          <Anchor component={Link} to="/battery/tasks">
            {tr("nav.tasks")}
          </Anchor>
        </Group>
      </Group>
      <Group align="end">
        <Select
          label={tr("models.algorithm")}
          allowDeselect={false}
          data={[
            { value: ALL, label: tr("models.allAlgorithms") },
            ...ALGORITHMS.map((a) => ({ value: a, label: tr(`algorithms.${a}`) })),
          ]}
          value={algorithm ?? ALL}
          onChange={(v) => setAlgorithm(!v || v === ALL ? null : (v as Algorithm))}
          data-testid="filter-algorithm"
          w={200}
        />
        <Select
          label={tr("models.target")}
          allowDeselect={false}
          data={[
            { value: ALL, label: tr("models.allTargets") },
            ...TARGET_CHOICES.map((t) => ({ value: t, label: tr(`targets.${t}`) })),
          ]}
          value={target ?? ALL}
          onChange={(v) => setTarget(!v || v === ALL ? null : (v as TargetChoice))}
          data-testid="filter-target"
          w={160}
        />
        <Select
          label={tr("models.dataset")}
          allowDeselect={false}
          data={[
            { value: ALL, label: tr("models.allDatasets") },
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
        <Text c="dimmed">{algorithm || target || datasetId ? tr("models.noneFiltered") : tr("models.none")}</Text>
      ) : null}
      {models.data?.length ? (
        <Table striped data-testid="model-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{tr("models.version")}</Table.Th>
              <Table.Th>{tr("models.name")}</Table.Th>
              <Table.Th>{tr("models.algorithm")}</Table.Th>
              <Table.Th>{tr("models.target")}</Table.Th>
              <Table.Th>{tr("models.dataset")}</Table.Th>
              <Table.Th>{tr("models.splitFeatures")}</Table.Th>
              <Table.Th>{tr("models.keptEpoch")}</Table.Th>
              <Table.Th>{tr("models.figure")}</Table.Th>
              <Table.Th>{tr("models.created")}</Table.Th>
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
                <Table.Td title={tr("models.idTitle", { id: m.id })} data-testid="model-number">
                  {versionNo(m.id)}
                </Table.Td>
                <Table.Td data-testid="model-name">{m.name}</Table.Td>
                <Table.Td>{tr(`algorithms.${m.algorithm}`)}</Table.Td>
                <Table.Td>{tr(`targets.${m.target}`)}</Table.Td>
                <Table.Td>{m.datasetName}</Table.Td>
                <Table.Td>
                  <Text size="xs">
                    {m.split && (SPLIT_PRESETS as readonly string[]).includes(m.split)
                      ? tr(`splits.${m.split as SplitPreset}`)
                      : m.split}{" "}
                    · {m.features.join(", ")}
                  </Text>
                </Table.Td>
                <Table.Td>{m.bestEpoch}</Table.Td>
                <Table.Td>{testFigure(tr, n, m.metrics as Summary, m.target)}</Table.Td>
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
                      {tr("models.rename")}
                    </Button>
                    <Button
                      size="compact-xs"
                      variant="light"
                      component={Link}
                      to={`/battery/tests?version=${m.id}`}
                      data-testid="test-model"
                    >
                      {tr("models.test")}
                    </Button>
                    <Button
                      size="compact-xs"
                      color="red"
                      variant="subtle"
                      onClick={() => setDeleting({ id: m.id, name: m.name })}
                      data-testid="delete-model"
                    >
                      {tr("models.delete")}
                    </Button>
                    {m.taskId ? (
                      <Anchor component={Link} to={`/battery/tasks/${m.taskId}`} size="xs">
                        {tr("models.task")}
                      </Anchor>
                    ) : null}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Modal opened={!!renaming} onClose={() => setRenaming(null)} title={tr("models.renameTitle")}>
        {renaming ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              // Checked here first with the server's own schema: the message stays by the field.
              const ok = renameModelInput.safeParse(renaming);
              if (ok.success) rename.mutate(renaming);
              else setRenameError(ok.error.issues[0] ? issueMessage(ok.error.issues[0]) : null);
            }}
          >
            <TextInput
              label={tr("models.name")}
              value={renaming.name}
              error={renameError}
              onChange={(e) => (setRenameError(null), setRenaming({ ...renaming, name: e.currentTarget.value }))}
              data-testid="rename-input"
            />
            <Group mt="md" justify="end">
              <Button type="submit" loading={rename.isPending} data-testid="rename-save">
                {tr("models.save")}
              </Button>
            </Group>
          </form>
        ) : null}
      </Modal>
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title={tr("models.deleteTitle")}>
        <Text size="sm">{tr("models.deleteText", { name: deleting?.name ?? "" })}</Text>
        <Group mt="md" justify="end">
          <Button variant="default" onClick={() => setDeleting(null)}>
            {tr("common:actions.keep")}
          </Button>
          <Button
            color="red"
            loading={remove.isPending}
            onClick={() => deleting && remove.mutate({ id: deleting.id })}
            data-testid="delete-confirm"
          >
            {tr("models.delete")}
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
