import { Link, useSearchParams } from "@remix-run/react";
import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../lib/meta";
import { formatDateTime } from "../lib/dates";
import { Anchor, Card, Grid, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { JobStatusBadge } from "../components/jobs";
import { CreateTestJobForm } from "../components/testing/create-form";

export default function BatteryTests() {
  const { t: tr } = useTranslation(["testing", "training"]);
  const [params] = useSearchParams();
  const list = trpc.testJobs.list.useQuery(undefined, {
    refetchInterval: (q) =>
      q.state.data?.some((t) => t.status === "PENDING" || t.status === "RUNNING") ? 2000 : false,
  });
  return (
    <Stack>
      <Title order={2}>{tr("title")}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="md">
            <CreateTestJobForm initialVersionId={Number(params.get("version")) || undefined} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="xs">
              {tr("jobs")}
            </Text>
            {list.data?.length ? (
              <Table striped data-testid="test-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{tr("list.name")}</Table.Th>
                    <Table.Th>{tr("list.status")}</Table.Th>
                    <Table.Th>{tr("list.cells")}</Table.Th>
                    <Table.Th>{tr("list.targets")}</Table.Th>
                    <Table.Th>{tr("list.created")}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {list.data.map((t) => (
                    <Table.Tr key={t.id}>
                      <Table.Td>
                        <Anchor component={Link} to={`/battery/tests/${t.id}`}>
                          {t.name}
                        </Anchor>
                      </Table.Td>
                      <Table.Td>
                        <JobStatusBadge status={t.status} />
                      </Table.Td>
                      <Table.Td>{t.cellCount}</Table.Td>
                      <Table.Td>{t.targets.map((k) => tr(`training:targets.${k}`)).join(", ")}</Table.Td>
                      <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" size="sm">
                {tr("none")}
              </Text>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "testing:title");
