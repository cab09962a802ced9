import { json, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../lib/meta";
import { useVersionNumbers } from "../lib/version-numbers";
import { Link, useLoaderData } from "@remix-run/react";
import { Anchor, Button, Group, Stack, Table, Text, Title } from "@mantine/core";
import { fmtMetric, METRIC_LABELS } from "../components/testing/format";
import type { ReactNode } from "react";
import type { MetricSet, TestTarget } from "../../server/schemas/testing";
import type { Algorithm } from "../../server/schemas/training";
import { RouteErrorPage } from "../components/not-found";
import { formatDateTime } from "../lib/dates";

/** A printable report of a finished test job: the same content as the XLSX (meta, overall, per-cell), without the detail rows. */
export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Test job not found", { status: 404 });
  try {
    const t = await context.trpc.testJobs.get({ id });
    if (!t.result) throw new Response("The test job has not finished", { status: 404 });
    return json({ t });
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") throw new Response("Test job not found", { status: 404 });
    throw e;
  }
}

const PRINT_CSS = `
@media print {
  .mantine-AppShell-navbar, .mantine-AppShell-header, .no-print { display: none !important; }
  .mantine-AppShell-main { padding: 0 !important; }
  body { background: white; }
  table { font-size: 10px; page-break-inside: auto; }
  tr { page-break-inside: avoid; }
}
.report td, .report th { padding: 2px 8px; }
`;
const METRICS = ["rmspe", "mse", "rmse", "mae", "r2"] as const;

/** The version's training settings as `name: value` pairs instead of raw JSON. */
function readableConfig(config: unknown): string {
  if (!config || typeof config !== "object") return "–";
  const words = (k: string) => k.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
  const value = (v: unknown): string =>
    Array.isArray(v) ? v.map(value).join(", ") : v && typeof v === "object" ? "…" : String(v);
  return Object.entries(config as Record<string, unknown>)
    .filter(([, v]) => v !== null && v !== undefined && !(v && typeof v === "object" && !Array.isArray(v)))
    .map(([k, v]) => `${words(k)}: ${value(v)}`)
    .join(" · ");
}

interface MetricRow {
  key: string;
  /** The cells before the metrics (cell, target, sample count). */
  lead: ReactNode[];
  target: TestTarget;
  metrics?: Partial<MetricSet>;
}

/** One row per (cell,) target: the lead columns, then every metric formatted for its target. */
function MetricTable({
  testId,
  lead,
  rows,
  striped,
}: {
  testId: string;
  lead: string[];
  rows: MetricRow[];
  striped?: boolean;
}) {
  return (
    <Table withTableBorder striped={striped} data-testid={testId}>
      <Table.Thead>
        <Table.Tr>
          {lead.map((h) => (
            <Table.Th key={h}>{h}</Table.Th>
          ))}
          {METRICS.map((m) => (
            <Table.Th key={m}>{METRIC_LABELS[m]}</Table.Th>
          ))}
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => (
          <Table.Tr key={row.key}>
            {row.lead.map((v, i) => (
              <Table.Td key={i}>{v}</Table.Td>
            ))}
            {METRICS.map((m) => (
              <Table.Td key={m}>{fmtMetric(m, row.metrics?.[m], row.target)}</Table.Td>
            ))}
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

export default function TestReport() {
  const { t: tr } = useTranslation(["testing", "training"]);
  const versionNo = useVersionNumbers();
  const { t } = useLoaderData<typeof loader>();
  const r = t.result!;
  const c = t.config;
  const targets = c.targets as TestTarget[];
  const source = tr(c.source === "builtin" ? "report.builtin" : "report.upload");
  const meta: [string, string][] = [
    [tr("report.version"), `${versionNo(c.versionId)} ${c.version.name}`],
    [tr("report.algorithm"), tr(`training:algorithms.${c.version.algorithm as Algorithm}`)],
    [tr("report.features"), c.version.features.join(", ")],
    [tr("report.windowHorizon"), `${c.version.window} / ${c.horizon}`],
    [tr("report.trainedOn"), c.version.trainedOn],
    [tr("report.settings"), readableConfig(c.version.config)],
    [
      tr("report.source"),
      c.preset
        ? tr("report.sourceValuePreset", { dataset: c.datasetName, source, preset: c.preset })
        : tr("report.sourceValue", { dataset: c.datasetName, source }),
    ],
    [tr("report.cells"), c.cellKeys.join(", ")],
    [tr("report.createdAt"), formatDateTime(t.createdAt)],
    [tr("report.samples"), String(r.samples)],
  ];
  return (
    <Stack className="report" maw={1100} data-testid="report">
      <style>{PRINT_CSS}</style>
      <Group justify="space-between" className="no-print">
        <Anchor component={Link} to={`/battery/tests/${t.id}`}>
          {tr("report.back")}
        </Anchor>
        <Button onClick={() => window.print()}>{tr("report.print")}</Button>
      </Group>
      <Title order={2}>{tr("report.title", { name: t.name })}</Title>
      <Table withTableBorder data-testid="report-meta">
        <Table.Tbody>
          {meta.map(([k, v]) => (
            <Table.Tr key={k}>
              <Table.Th w={180}>{k}</Table.Th>
              <Table.Td style={{ wordBreak: "break-word" }}>{v}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Title order={3}>{tr("report.overall")}</Title>
      <MetricTable
        testId="report-overall"
        lead={[tr("report.target"), "n"]}
        rows={targets.map((k) => ({
          key: k,
          lead: [tr(`training:targets.${k}`), r.overall[k]?.n],
          target: k,
          metrics: r.overall[k],
        }))}
      />
      <Title order={3}>{tr("report.perCell")}</Title>
      <MetricTable
        testId="report-cells"
        striped
        lead={[tr("report.cell"), tr("report.target"), "n"]}
        rows={r.cells.flatMap((cell) =>
          targets.map((k) => ({
            key: `${cell.cellKey}-${k}`,
            lead: [cell.cellKey, tr(`training:targets.${k}`), cell.metrics[k]?.n ?? 0],
            target: k,
            metrics: cell.metrics[k],
          })),
        )}
      />
      <Text size="xs" c="dimmed">
        {tr("report.help")}
      </Text>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "testing:report.pageTitle");

export function ErrorBoundary() {
  const { t } = useTranslation("testing");
  return <RouteErrorPage what={t("report.pageTitle")} back={{ to: "/battery/tests", label: t("job.back") }} />;
}
