import { Link, useSearchParams } from "@remix-run/react";
import type { MetaFunction } from "@remix-run/node";
import { Anchor, Card, Grid, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { JobStatusBadge } from "../components/jobs";
import { CreateTestJobForm } from "../components/testing/create-form";

export default function BatteryTests() {
  const [params] = useSearchParams();
  const list = trpc.testJobs.list.useQuery(undefined, {
    refetchInterval: (q) =>
      q.state.data?.some((t) => t.status === "PENDING" || t.status === "RUNNING") ? 2000 : false,
  });
  return (
    <Stack>
      <Title order={2}>Test model versions</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Card withBorder padding="md">
            <CreateTestJobForm initialVersionId={Number(params.get("version")) || undefined} />
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Card withBorder padding="md">
            <Text fw={600} mb="xs">
              Test jobs
            </Text>
            {list.data?.length ? (
              <Table striped data-testid="test-list">
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>name</Table.Th>
                    <Table.Th>status</Table.Th>
                    <Table.Th>cells</Table.Th>
                    <Table.Th>targets</Table.Th>
                    <Table.Th>created</Table.Th>
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
                      <Table.Td>{t.targets.join(", ").toUpperCase()}</Table.Td>
                      <Table.Td>{new Date(t.createdAt).toLocaleString()}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            ) : (
              <Text c="dimmed" size="sm">
                No test jobs yet.
              </Text>
            )}
          </Card>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

export const meta: MetaFunction = () => [{ title: "Battery tests · VoltLab" }];
