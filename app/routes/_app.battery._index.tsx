import { useState } from "react";
import { Link } from "@remix-run/react";
import {
  Anchor,
  Badge,
  Button,
  Card,
  Group,
  Loader,
  SimpleGrid,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
  Tooltip,
} from "@mantine/core";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { trpc } from "../lib/trpc";
import { FeatureCoverage } from "../components/feature-coverage";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";

const SUMMARY = new Set(["ir_ohm", "qcharge_ah", "tmin_c", "tmax_c", "charge_time_min", "tavg_raw_c"]);

const COLUMNS = ["cell", "batch", "split", "caseA", "caseB", "cycleLife", "cycles", "range", "features"] as const;

export default function BatteryHome() {
  const { t } = useTranslation(["battery", "common"]);
  const { n } = useFormat();
  const datasets = trpc.battery.listDatasets.useQuery();
  const [datasetId, setDatasetId] = useState<number | null>(null);
  const current = datasetId ?? datasets.data?.[0]?.id ?? null;
  const cells = trpc.battery.listCells.useQuery({ datasetId: current ?? 0 }, { enabled: current !== null });
  const [q, setQ] = useState("");
  const shown = (cells.data?.cells ?? []).filter(
    (c) => !q || c.cellKey.includes(q) || (c.seversonSplit ?? "").includes(q),
  );

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("common:nav.batteryLab")}</Title>
        <Group>
          <Button component={Link} to="/battery/analysis" data-testid="open-analysis">
            {t("common:nav.batteryAnalysis")}
          </Button>
          <Button component={Link} to="/battery/uploads" variant="light">
            {t("common:nav.batteryUploads")}
          </Button>
        </Group>
      </Group>
      <SimpleGrid cols={{ base: 1, md: 3 }} data-testid="dataset-cards">
        {(datasets.data ?? []).map((d) => (
          <Card
            key={d.id}
            withBorder
            padding="md"
            style={{ cursor: "pointer", borderColor: d.id === current ? "var(--mantine-color-teal-6)" : undefined }}
            onClick={() => setDatasetId(d.id)}
          >
            <Group justify="space-between" mb={4}>
              <Badge color={d.builtin ? "teal" : "blue"} variant="light">
                {d.builtin ? t("home.builtin") : t("home.upload")}
              </Badge>
              <Text size="xs" c="dimmed">
                {t("home.counts", { cells: n(d.cellCount), cycles: n(d.cycleCount) })}
              </Text>
            </Group>
            <Text fw={600}>{d.name}</Text>
            {d.description ? (
              <Text size="sm" c="dimmed" mt={4}>
                {d.builtin ? t("builtinDescription") : d.description}
              </Text>
            ) : null}
            <Text size="xs" mt={6}>
              {t("home.features", { list: d.features.map((f) => f.key).join(", ") || t("none") })}
            </Text>
            {d.targetDerived.length ? (
              <Text size="xs" c="orange.8">
                {t("home.targetDerived", { list: d.targetDerived.join(", ") })}
              </Text>
            ) : null}
          </Card>
        ))}
        {datasets.isLoading ? <Loader size="sm" /> : null}
      </SimpleGrid>
      <Card withBorder padding="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>{cells.data ? t("home.cellsOf", { name: cells.data.dataset.name }) : t("home.cells")}</Title>
          <TextInput placeholder={t("home.filter")} value={q} onChange={(e) => setQ(e.currentTarget.value)} w={240} />
        </Group>
        {cells.data?.dataset.builtin ? (
          <Text size="sm" c="dimmed" mb="xs">
            {t("home.builtinNote")}
          </Text>
        ) : null}
        <Table.ScrollContainer minWidth={800} mah={520}>
          <Table striped stickyHeader data-testid="cell-table">
            <Table.Thead>
              <Table.Tr>
                {COLUMNS.map((h) => (
                  <Table.Th key={h}>{t(`home.columns.${h}`)}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {shown.map((c) => {
                const raw = c.features.filter((f) => SUMMARY.has(f));
                return (
                  <Table.Tr key={c.id}>
                    <Table.Td>{c.cellKey}</Table.Td>
                    <Table.Td>{c.batch ?? "–"}</Table.Td>
                    <Table.Td>{c.seversonSplit ?? "–"}</Table.Td>
                    <Table.Td>{c.caseA ?? ""}</Table.Td>
                    <Table.Td>{c.caseB ?? ""}</Table.Td>
                    <Table.Td>{c.cycleLife ?? "–"}</Table.Td>
                    <Table.Td>{n(c.nCycles)}</Table.Td>
                    <Table.Td>
                      {c.firstCycle}–{c.lastCycle}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={c.features.join(", ") || t("none")}>
                        <Group gap={4}>
                          <Badge size="sm" variant="light">
                            {t("home.featureCount", { count: c.features.length - raw.length })}
                          </Badge>
                          {raw.length ? (
                            <Badge size="sm" color="grape" variant="light">
                              {t("home.rawSummary", { count: raw.length })}
                            </Badge>
                          ) : null}
                        </Group>
                      </Tooltip>
                    </Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {current !== null ? <FeatureCoverage datasetId={current} /> : null}
      <Text size="xs" c="dimmed">
        {t("home.credit")}{" "}
        <Anchor href="https://doi.org/10.1038/s41560-019-0356-8" target="_blank" size="xs">
          {t("home.paper")}
        </Anchor>
        {" · "}
        <Anchor component={Link} to="/battery/analysis" size="xs">
          {t("home.analyse")}
        </Anchor>
      </Text>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "common:nav.batteryLab");
