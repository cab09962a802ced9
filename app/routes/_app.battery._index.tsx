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
import { trpc } from "../lib/trpc";
import { FeatureCoverage } from "../components/feature-coverage";

const SUMMARY = new Set(["ir_ohm", "qcharge_ah", "tmin_c", "tmax_c", "charge_time_min", "tavg_raw_c"]);

export default function BatteryHome() {
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
        <Title order={2}>Battery Lab</Title>
        <Group>
          <Button component={Link} to="/battery/analysis" data-testid="open-analysis">
            Data & analysis
          </Button>
          <Button component={Link} to="/battery/uploads" variant="light">
            Uploads
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
                {d.builtin ? "built-in" : "upload"}
              </Badge>
              <Text size="xs" c="dimmed">
                {d.cellCount} cells · {d.cycleCount.toLocaleString("en")} cycles
              </Text>
            </Group>
            <Text fw={600}>{d.name}</Text>
            {d.description ? (
              <Text size="sm" c="dimmed" mt={4}>
                {d.description}
              </Text>
            ) : null}
            <Text size="xs" mt={6}>
              Features: {d.features.map((f) => f.key).join(", ") || "none"}
            </Text>
            {d.targetDerived.length ? (
              <Text size="xs" c="orange.8">
                Stored but never an input (derived from the target): {d.targetDerived.join(", ")}
              </Text>
            ) : null}
          </Card>
        ))}
        {datasets.isLoading ? <Loader size="sm" /> : null}
      </SimpleGrid>
      <Card withBorder padding="md">
        <Group justify="space-between" mb="sm">
          <Title order={4}>Cells {cells.data ? `of ${cells.data.dataset.name}` : ""}</Title>
          <TextInput
            placeholder="Filter by id or split"
            value={q}
            onChange={(e) => setQ(e.currentTarget.value)}
            w={240}
          />
        </Group>
        {cells.data?.dataset.builtin ? (
          <Text size="sm" c="dimmed" mb="xs">
            Every cell has the three smoothed features (Kong slope, Kong intercept, mean temperature) and early dQ/dV
            statistics (cycles 2–100). The raw Severson summary fields (IR, charge capacity, Tmin/Tmax/Tavg, charge
            time) cover cells 1–83 over their whole life and cells 84–124 over cycles 1–100 only; see the coverage table
            below.
          </Text>
        ) : null}
        <Table.ScrollContainer minWidth={800} mah={520}>
          <Table striped stickyHeader data-testid="cell-table">
            <Table.Thead>
              <Table.Tr>
                {["Cell", "Batch", "Split", "Case A", "Case B", "Cycle life", "Cycles", "Range", "Features"].map(
                  (h) => (
                    <Table.Th key={h}>{h}</Table.Th>
                  ),
                )}
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
                    <Table.Td>{c.nCycles}</Table.Td>
                    <Table.Td>
                      {c.firstCycle}–{c.lastCycle}
                    </Table.Td>
                    <Table.Td>
                      <Tooltip label={c.features.join(", ") || "none"}>
                        <Group gap={4}>
                          <Badge size="sm" variant="light">
                            {c.features.length - raw.length} features
                          </Badge>
                          {raw.length ? (
                            <Badge size="sm" color="grape" variant="light">
                              + {raw.length} raw summary
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
        Built-in data: Severson et al., Nature Energy 4, 383–391 (2019), CC BY 4.0; per-cycle features, targets and
        splits from Wen et al., IEEE T-IV 9(1), 2024. Data:{" "}
        <Anchor href="https://doi.org/10.1038/s41560-019-0356-8" target="_blank" size="xs">
          the Severson paper
        </Anchor>
        .{" "}
        <Anchor component={Link} to="/battery/analysis" size="xs">
          Analyse cells
        </Anchor>
      </Text>
    </Stack>
  );
}

export function meta() {
  return [{ title: "Battery Lab · VoltLab" }];
}
