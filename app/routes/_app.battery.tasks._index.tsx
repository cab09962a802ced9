import { Link } from "@remix-run/react";
import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { JobStatusBadge } from "../components/jobs";
import { ALGORITHM_LABELS, SPLIT_LABELS, type TaskConfig } from "../../server/schemas/training";
import { formatDateTime } from "../lib/dates";

export default function TrainingTasks() {
  const tasks = trpc.training.list.useQuery(undefined, { refetchInterval: 5000 });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>Training tasks</Title>
        <Group>
          <Button component={Link} to="/battery/train" data-testid="new-task">
            New training task
          </Button>
          <Anchor component={Link} to="/battery/models">
            Model library
          </Anchor>
        </Group>
      </Group>
      {tasks.isLoading ? <Loader /> : null}
      {tasks.data && !tasks.data.length ? <Text c="dimmed">No training tasks yet.</Text> : null}
      {tasks.data?.length ? (
        <Table striped data-testid="task-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Task</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Split</Table.Th>
              <Table.Th>Target</Table.Th>
              <Table.Th>Algorithms</Table.Th>
              <Table.Th>Created</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.map((t) => {
              const cfg = t.config as TaskConfig;
              return (
                <Table.Tr key={t.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/battery/tasks/${t.id}`}>
                      {t.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <JobStatusBadge status={t.status} size="sm" />
                  </Table.Td>
                  <Table.Td>{SPLIT_LABELS[cfg.split]}</Table.Td>
                  <Table.Td>{cfg.target.toUpperCase()}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {t.runs.map((r) => (
                        <Group key={r.id} gap={2}>
                          <Text size="xs">{ALGORITHM_LABELS[r.algorithm]}</Text>
                          <JobStatusBadge status={r.status} size="xs" />
                        </Group>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(t.createdAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
