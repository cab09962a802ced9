import type { MetaArgs } from "@remix-run/node";
import { Badge, Card, Code, Group, Stack, Table, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { trpc } from "../lib/trpc";
import { formatDateTime } from "../lib/dates";
import { pageTitle } from "../lib/meta";
import { JobStatusBadge } from "../components/jobs";

/** Where work runs: the workers online (device, queues, last heartbeat) and the user's recent jobs. */
export default function JobsPage() {
  const { t } = useTranslation();
  const workers = trpc.jobs.workers.useQuery(undefined, { refetchInterval: 5_000 });
  const jobs = trpc.jobs.list.useQuery({ limit: 30 }, { refetchInterval: 5_000 });
  return (
    <Stack maw={1100}>
      <Title order={2}>{t("jobsPage.title")}</Title>
      <Text size="sm" c="dimmed">
        {t("jobsPage.intro")}
      </Text>
      <Title order={3}>{t("jobsPage.workers")}</Title>
      {workers.data && !workers.data.length ? (
        <Card withBorder data-testid="no-workers">
          <Text size="sm">{t("jobsPage.noWorkers")}</Text>
        </Card>
      ) : null}
      {workers.data?.length ? (
        <Table striped withTableBorder data-testid="worker-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("jobsPage.host")}</Table.Th>
              <Table.Th>{t("jobsPage.device")}</Table.Th>
              <Table.Th>{t("jobsPage.queues")}</Table.Th>
              <Table.Th>{t("jobsPage.concurrency")}</Table.Th>
              <Table.Th>{t("jobsPage.heartbeat")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {workers.data.map((w) => (
              <Table.Tr key={w.id} data-testid="worker-row" data-device={w.device}>
                <Table.Td title={w.id}>{w.host}</Table.Td>
                <Table.Td>
                  <Badge color={w.device === "cuda" ? "grape" : "gray"} variant="light">
                    {w.device === "cuda" ? t("jobsPage.gpu") : t("jobsPage.cpu")}
                  </Badge>{" "}
                  {w.deviceName ? (
                    <Text span size="xs" c="dimmed">
                      {w.deviceName}
                    </Text>
                  ) : null}
                </Table.Td>
                <Table.Td>
                  <Group gap={4}>
                    {w.queues.map((q) => (
                      <Code key={q}>{q}</Code>
                    ))}
                  </Group>
                </Table.Td>
                <Table.Td>{w.concurrency}</Table.Td>
                <Table.Td>{formatDateTime(w.heartbeatAt)}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
      <Title order={3}>{t("jobsPage.myJobs")}</Title>
      {jobs.data && !jobs.data.length ? <Text c="dimmed">{t("jobsPage.noJobs")}</Text> : null}
      {jobs.data?.length ? (
        <Table striped withTableBorder data-testid="job-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("jobsPage.job")}</Table.Th>
              <Table.Th>{t("jobsPage.kind")}</Table.Th>
              <Table.Th>{t("jobsPage.status")}</Table.Th>
              <Table.Th>{t("jobsPage.created")}</Table.Th>
              <Table.Th>{t("jobsPage.finished")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {jobs.data.map((j) => (
              <Table.Tr key={j.id} data-testid="job-row">
                <Table.Td>#{j.id}</Table.Td>
                <Table.Td>
                  <Code>{j.name}</Code>
                </Table.Td>
                <Table.Td>
                  <JobStatusBadge status={j.status} size="sm" />
                </Table.Td>
                <Table.Td>{formatDateTime(j.createdAt)}</Table.Td>
                <Table.Td>{j.completedAt ? formatDateTime(j.completedAt) : "–"}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "common:jobsPage.title");
