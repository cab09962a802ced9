import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { isRouteErrorResponse, Link, useLoaderData, useRouteError } from "@remix-run/react";
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

export async function loader({ context, params }: LoaderFunctionArgs) {
  const id = Number(params.id);
  if (!Number.isInteger(id) || id <= 0) throw new Response("Asset not found", { status: 404 });
  try {
    return json({ id, detail: await context.trpc.energy.assets.get({ id }) });
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") throw new Response("Asset not found", { status: 404 });
    throw e;
  }
}

type Range = "1d" | "1w" | "1m" | "all";
const num = (x: number | null | undefined, d = 2) =>
  x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(d);

export default function EnergyAsset() {
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
        ← Energy Lab
      </Anchor>
      <Group>
        <Title order={2} data-testid="energy-asset-title">
          {a.name}
        </Title>
        {a.builtIn && (
          <Badge variant="light" color="gray">
            built-in · read-only
          </Badge>
        )}
      </Group>
      {a.description && (
        <Text size="sm" c="dimmed">
          {a.description}
        </Text>
      )}

      <Group justify="space-between">
        <Text size="sm">
          Target <b>{a.targetName}</b>
          {a.unit ? ` (${a.unit})` : ""} · covariates:{" "}
          {a.covariates.length ? a.covariates.map((c) => `${c.name} (${c.kind})`).join(", ") : "none"}
        </Text>
        <SegmentedControl
          value={range}
          onChange={(v) => setRange(v as Range)}
          data-testid="energy-range"
          data={[
            { value: "1d", label: "1 day" },
            { value: "1w", label: "1 week" },
            { value: "1m", label: "1 month" },
            { value: "all", label: "All" },
          ]}
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
              {series.data.t.length.toLocaleString("en")} of {series.data.totalPoints.toLocaleString("en")} points drawn
              (LTTB), the range ends at the last point; times in UTC.
              {detail.data!.windows.length > 0 && " Shaded: labelled anomaly windows."}
            </Text>
          </>
        ) : (
          <Loader size="sm" />
        )}
      </Card>

      <SimpleGrid cols={{ base: 2, md: 4 }} data-testid="energy-stats">
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            Points (missing)
          </Text>
          <Text fw={600}>
            {stats.points.toLocaleString("en")} ({stats.missing})
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            Mean ± std
          </Text>
          <Text fw={600}>
            {num(stats.mean)} ± {num(stats.std)}
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            Min / max
          </Text>
          <Text fw={600}>
            {num(stats.min)} / {num(stats.max)}
          </Text>
        </Card>
        <Card withBorder padding="xs">
          <Text size="xs" c="dimmed">
            Dropouts flagged / gap-filled
          </Text>
          <Text fw={600}>
            {stats.dropouts} / {stats.filled}
          </Text>
        </Card>
      </SimpleGrid>

      {detail.data!.windows.length > 0 && (
        <>
          <Title order={4}>Labelled anomaly windows</Title>
          <Table withTableBorder data-testid="energy-windows">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Label</Table.Th>
                <Table.Th>Start (UTC)</Table.Th>
                <Table.Th>End (UTC)</Table.Th>
                <Table.Th>Labelled point</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {detail.data!.windows.map((w) => (
                <Table.Tr key={w.id}>
                  <Table.Td>{w.label}</Table.Td>
                  <Table.Td>{String(new Date(w.startTs).toISOString()).slice(0, 16)}</Table.Td>
                  <Table.Td>{new Date(w.endTs).toISOString().slice(0, 16)}</Table.Td>
                  <Table.Td>{w.labelTs ? new Date(w.labelTs).toISOString().slice(0, 16) : "—"}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}

      <Title order={4}>Forecast evaluation (held-out last 20 %)</Title>
      {!canEvaluate ? (
        <Text size="sm" c="dimmed">
          Needs a regular series of at least 10 days to evaluate.
        </Text>
      ) : evaluation.data ? (
        <EvaluationTable rows={[evaluation.data]} />
      ) : evaluation.error ? (
        <Alert color="yellow">{evaluation.error.message}</Alert>
      ) : (
        <Loader size="sm" />
      )}
    </Stack>
  );
}

export function meta() {
  return [{ title: "Energy asset · VoltLab" }];
}

export function ErrorBoundary() {
  const error = useRouteError();
  return (
    <Alert
      color="red"
      title={isRouteErrorResponse(error) && error.status === 404 ? "Asset not found" : "Something went wrong"}
    >
      <Anchor component={Link} to="/energy">
        Back to the Energy Lab
      </Anchor>
    </Alert>
  );
}
