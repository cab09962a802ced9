import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import {
  Alert,
  Anchor,
  Badge,
  Card,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from "@mantine/core";
import { trpc } from "../lib/trpc";
import { SeriesChart } from "../components/energy/series-chart";
import { EvaluationTable } from "../components/energy/evaluation-table";
import { orNotFound, RouteErrorPage } from "../components/not-found";
import { errorMessage } from "../lib/form-errors";
import { formatDateTime } from "../lib/dates";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { BUILTIN_NAB_NAME, BUILTIN_STEEL_NAME } from "../../server/services/energy/types";

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Asset not found", { status: 404 });
  return json({ id, detail: await orNotFound("Asset", () => context.trpc.energy.assets.get({ id })) });
}

type Range = "1d" | "1w" | "1m" | "all";
const RANGES: Range[] = ["1d", "1w", "1m", "all"];

/** The built-in assets' descriptions in the user's language (their names stay as they are). */
const BUILTIN_TEXT = { [BUILTIN_STEEL_NAME]: "builtin.steel", [BUILTIN_NAB_NAME]: "builtin.nab" } as const;

export default function EnergyAsset() {
  const { t } = useTranslation("energy");
  const { n } = useFormat();
  const num = (x: number | null | undefined) => n(x, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const { id, detail: initial } = useLoaderData<typeof loader>();
  const detail = trpc.energy.assets.get.useQuery({ id }, { initialData: initial as never });
  const a = detail.data!.asset;
  const stats = detail.data!.stats;
  const [range, setRange] = useState<Range>("all");
  const series = trpc.energy.assets.series.useQuery({ id, range, maxPoints: 2000 });
  const season = a.frequencySeconds ? Math.round(86400 / a.frequencySeconds) : 0;
  const canEvaluate = !!a.frequencySeconds && a.pointCount >= 10 * season;
  const evaluation = trpc.energy.assets.evaluateBaseline.useQuery(
    { id },
    { enabled: canEvaluate, retry: false, staleTime: Infinity },
  );

  return (
    <Stack maw={1300}>
      <Anchor component={Link} to="/energy" size="sm">
        {t("back")}
      </Anchor>
      <Group>
        <Title order={2} data-testid="energy-asset-title">
          {a.name}
        </Title>
        {a.builtIn && (
          <Badge variant="light" color="gray">
            {t("assets.builtIn")}
          </Badge>
        )}
      </Group>
      {a.description && (
        <Text size="sm" c="dimmed" data-testid="energy-asset-description">
          {a.builtIn && a.name in BUILTIN_TEXT ? t(BUILTIN_TEXT[a.name as keyof typeof BUILTIN_TEXT]) : a.description}
        </Text>
      )}

      <Group justify="space-between">
        <Text size="sm">
          {t("asset.targetLabel")} <b>{a.targetName}</b>
          {a.unit ? ` (${a.unit})` : ""} · {t("asset.covariates")}{" "}
          {a.covariates.length
            ? a.covariates
                .map((c) => t("asset.covariate", { name: c.name, kind: t(`asset.kind.${c.kind}`) }))
                .join(", ")
            : t("none")}
        </Text>
        <SegmentedControl
          value={range}
          onChange={(v) => setRange(v as Range)}
          data-testid="energy-range"
          data={RANGES.map((r) => ({ value: r, label: t(`asset.range.${r}`) }))}
        />
      </Group>
      <Card withBorder>
        {series.data ? (
          <>
            <SeriesChart
              t={series.data.t}
              v={series.data.v}
              windows={detail.data!.windows}
              flagged={series.data.flagged}
              name={a.targetName}
              unit={a.unit}
            />
            <Text size="xs" c="dimmed">
              {t("asset.drawn", { drawn: n(series.data.t.length), total: n(series.data.totalPoints) })}
              {detail.data!.windows.length > 0 && t("asset.shaded")}
            </Text>
          </>
        ) : (
          <Loader size="sm" />
        )}
      </Card>

      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="energy-stats">
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {t("asset.statPoints")}
          </Text>
          <Text fw={600}>
            {n(stats.points)} ({n(stats.missing)})
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {t("asset.statMean")}
          </Text>
          <Text fw={600}>
            {num(stats.mean)} ± {num(stats.std)}
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {t("asset.statMinMax")}
          </Text>
          <Text fw={600}>
            {num(stats.min)} / {num(stats.max)}
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            {t("asset.statDropouts")}
          </Text>
          <Text fw={600}>
            {n(stats.dropouts)} / {n(stats.filled)}
          </Text>
        </Card>
      </SimpleGrid>

      {detail.data!.windows.length > 0 && (
        <>
          <Title order={4}>{t("asset.windowsTitle")}</Title>
          <Table withTableBorder data-testid="energy-windows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t("asset.windowLabel")}</Table.Th>
                <Table.Th>{t("asset.windowStart")}</Table.Th>
                <Table.Th>{t("asset.windowEnd")}</Table.Th>
                <Table.Th>{t("asset.windowPoint")}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.data!.windows.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>{w.label}</Table.Td>
                  <Table.Td>{formatDateTime(w.startTs)}</Table.Td>
                  <Table.Td>{formatDateTime(w.endTs)}</Table.Td>
                  <Table.Td>{formatDateTime(w.labelTs)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}

      <Title order={4}>{t("asset.evaluationTitle")}</Title>
      {!canEvaluate ? (
        <Text size="sm" c="dimmed">
          {t("asset.cannotEvaluate")}
        </Text>
      ) : evaluation.data ? (
        <EvaluationTable rows={[evaluation.data]} />
      ) : evaluation.error ? (
        <Alert color="yellow">{errorMessage(evaluation.error)}</Alert>
      ) : (
        <Loader size="sm" />
      )}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "energy:asset.pageTitle");

export function ErrorBoundary() {
  const { t } = useTranslation("energy");
  return <RouteErrorPage what={t("asset.what")} back={{ to: "/energy", label: t("asset.backToLab") }} />;
}
