import { useState } from "react";
import { Link, useParams } from "@remix-run/react";
import { Alert, Anchor, Button, Card, Group, Loader, SimpleGrid, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { trpc } from "../lib/trpc";
import { LifeScatter } from "../components/early-life/life-scatter";
import { JobStatusBadge } from "../components/jobs";
import { NotFoundPage } from "../components/not-found";
import { errorMessage } from "../lib/form-errors";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import type { earlyLife } from "../../server/i18n/catalogs/en/early-life";

const CELL_COLUMNS = ["group", "cell", "true", "predicted", "error"] as const;

function download(file: { fileName: string; mime: string; contentBase64: string }) {
  const bytes = Uint8Array.from(atob(file.contentBase64), (c) => c.charCodeAt(0));
  const url = URL.createObjectURL(new Blob([bytes], { type: file.mime }));
  const a = document.createElement("a");
  a.href = url;
  a.download = file.fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export default function EarlyLifeResult() {
  const { t, i18n } = useTranslation(["earlyLife", "common"]);
  const { n, lng } = useFormat();
  const id = Number(useParams().id);
  const task = trpc.earlyLife.get.useQuery(
    { id },
    { refetchInterval: (q) => (q.state.data && ["PENDING", "RUNNING"].includes(q.state.data.status) ? 1000 : false) },
  );
  const utils = trpc.useUtils();
  const [busy, setBusy] = useState<string | null>(null);
  if (task.isLoading) return <Loader />;
  if (!task.data) {
    if (!task.error || task.error.data?.code === "NOT_FOUND")
      return <NotFoundPage what={t("task")} back={{ to: "/battery/early-life", label: t("allTasks") }} />;
    return <Alert color="red">{errorMessage(task.error)}</Alert>;
  }
  const d = task.data;
  const r = d.result;
  const exportAs = async (format: "csv" | "xlsx") => {
    setBusy(format);
    try {
      download(await utils.earlyLife.export.fetch({ id, format, locale: lng }));
    } finally {
      setBusy(null);
    }
  };

  const cycles = (v: number) => n(v, { maximumFractionDigits: 0 });
  const pct = (v: number) => n(100 * v, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const lambda = (v: number) => v.toExponential(2);
  const featureLabel = (key: string, label: string) =>
    i18n.exists(`earlyLife:features.${key}`) ? t(`features.${key as keyof typeof earlyLife.features}`) : label;
  const setName = (s: string) =>
    s in { variance: 1, discharge: 1, full: 1, fade: 1, extended: 1, summary: 1, ensemble: 1 }
      ? t(`featureSetsShort.${s as keyof typeof earlyLife.featureSetsShort}`)
      : s;

  return (
    <Stack>
      <Group justify="space-between">
        <div>
          <Title order={2}>{d.name}</Title>
          <Text size="sm" c="dimmed">
            {t("subtitle", {
              dataset: d.config.datasetName,
              featureSet: t(`featureSets.${d.config.featureSet}`),
              model: t(`models.${d.config.model}`),
              n: d.config.firstCycles,
              train: d.config.trainCells.length,
            })}
          </Text>
        </div>
        <Group>
          <span data-testid="early-life-status">
            <JobStatusBadge status={d.status} size="lg" />
          </span>
          <Anchor component={Link} to="/battery/early-life">
            {t("allTasks")}
          </Anchor>
        </Group>
      </Group>
      {d.error ? <Alert color="red">{d.error}</Alert> : null}
      {!r ? (
        <Group>
          <Loader size="sm" />
          <Text>{t("fitting")}</Text>
        </Group>
      ) : (
        <>
          <SimpleGrid cols={{ base: 1, md: r.groups.length + 1 }} data-testid="early-life-metrics">
            {r.groups.map((g) => (
              <Card withBorder key={g.name} data-testid={`metric-${g.name}`}>
                <Text size="sm" c="dimmed">
                  {t("groupCells", { name: g.name, count: g.cells.length })}
                </Text>
                <Text size="xl" fw={700}>
                  {t("rmseCycles", { value: cycles(g.rmse) })}
                </Text>
                <Text>{t("mape", { value: pct(g.mape) })}</Text>
              </Card>
            ))}
            <Card withBorder>
              <Text size="sm" c="dimmed">
                {t("trainCells", { count: r.train.cells })}
              </Text>
              <Text size="xl" fw={700}>
                {t("rmseCycles", { value: cycles(r.train.rmse) })}
              </Text>
              <Text size="sm">
                {r.cv?.members
                  ? t("cv.members", {
                      choices: r.cv.members
                        .map((m) =>
                          t("cv.member", { set: setName(m.featureSet), alpha: m.l1Ratio, lambda: lambda(m.lambda) }),
                        )
                        .join("; "),
                      rmse: cycles(r.cv.cvRmse),
                    })
                  : r.cv && r.cv.lambda !== null
                    ? t("cv.single", { alpha: r.cv.l1Ratio, lambda: lambda(r.cv.lambda), rmse: cycles(r.cv.cvRmse) })
                    : d.config.model === "mlp"
                      ? t("cv.mlp")
                      : t("cv.none")}
              </Text>
            </Card>
          </SimpleGrid>
          <Card withBorder>
            <Group justify="space-between" mb="xs">
              <Title order={4}>{t("scatterTitle")}</Title>
              <Group>
                <Button
                  variant="light"
                  loading={busy === "csv"}
                  onClick={() => exportAs("csv")}
                  data-testid="export-csv"
                >
                  {t("exportCsv")}
                </Button>
                <Button
                  variant="light"
                  loading={busy === "xlsx"}
                  onClick={() => exportAs("xlsx")}
                  data-testid="export-xlsx"
                >
                  {t("exportXlsx")}
                </Button>
              </Group>
            </Group>
            <Text size="xs" c="dimmed">
              {t("scatterNote")}
            </Text>
            <LifeScatter groups={r.groups} />
          </Card>
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <Card withBorder>
              <Title order={5} mb="xs">
                {t("perCell")}
              </Title>
              <Table.ScrollContainer minWidth={400} mah={420}>
                <Table striped stickyHeader data-testid="early-life-cells">
                  <Table.Thead>
                    <Table.Tr>
                      {CELL_COLUMNS.map((h) => (
                        <Table.Th key={h}>{t(`cellColumns.${h}`)}</Table.Th>
                      ))}
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {r.groups.flatMap((g) =>
                      g.cells.map((c) => (
                        <Table.Tr key={`${g.name}-${c.key}`}>
                          <Table.Td>{g.name}</Table.Td>
                          <Table.Td>{c.key}</Table.Td>
                          <Table.Td>{cycles(c.trueLife)}</Table.Td>
                          <Table.Td>{cycles(c.predictedLife)}</Table.Td>
                          <Table.Td>{cycles(c.predictedLife - c.trueLife)}</Table.Td>
                        </Table.Tr>
                      )),
                    )}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Card>
            <Card withBorder>
              <Title order={5} mb="xs">
                {r.intercept === null ? t("modelTitleMlp") : t("modelTitleLinear")}
              </Title>
              <Table data-testid="early-life-model">
                <Table.Tbody>
                  <Table.Tr>
                    <Table.Td>{t("intercept")}</Table.Td>
                    <Table.Td>{r.intercept === null ? "–" : r.intercept.toPrecision(4)}</Table.Td>
                  </Table.Tr>
                  {r.features.map((f) => (
                    <Table.Tr key={f.key}>
                      <Table.Td>{featureLabel(f.key, f.label)}</Table.Td>
                      <Table.Td>
                        {f.coef === null ? t("mlpInput") : f.coef === 0 ? t("dropped") : f.coef.toPrecision(4)}
                      </Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Card>
          </SimpleGrid>
        </>
      )}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "earlyLife:resultTitle");
