import { Link } from "@remix-run/react";
import type { MetaArgs } from "@remix-run/node";
import { useTranslation } from "react-i18next";
import { Anchor, Button, Group, Loader, Stack, Table, Text, Title } from "@mantine/core";
import { trpc } from "../lib/trpc";
import { JobStatusBadge } from "../components/jobs";
import type { TaskConfig } from "../../server/schemas/training";
import { formatDateTime } from "../lib/dates";
import { pageTitle } from "../lib/meta";

export const meta = (args: MetaArgs) => pageTitle(args, "training:tasks.title");

export default function TrainingTasks() {
  const { t } = useTranslation("training");
  const tasks = trpc.training.list.useQuery(undefined, { refetchInterval: 5000 });
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={2}>{t("tasks.title")}</Title>
        <Group>
          <Button component={Link} to="/battery/train" data-testid="new-task">
            {t("nav.newTask")}
          </Button>
          <Anchor component={Link} to="/battery/models">
            {t("nav.models")}
          </Anchor>
        </Group>
      </Group>
      {tasks.isLoading ? <Loader /> : null}
      {tasks.data && !tasks.data.length ? <Text c="dimmed">{t("tasks.none")}</Text> : null}
      {tasks.data?.length ? (
        <Table striped data-testid="task-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t("tasks.task")}</Table.Th>
              <Table.Th>{t("tasks.status")}</Table.Th>
              <Table.Th>{t("tasks.split")}</Table.Th>
              <Table.Th>{t("tasks.target")}</Table.Th>
              <Table.Th>{t("tasks.algorithms")}</Table.Th>
              <Table.Th>{t("tasks.created")}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tasks.data.map((task) => {
              const cfg = task.config as TaskConfig;
              return (
                <Table.Tr key={task.id}>
                  <Table.Td>
                    <Anchor component={Link} to={`/battery/tasks/${task.id}`}>
                      {task.name}
                    </Anchor>
                  </Table.Td>
                  <Table.Td>
                    <JobStatusBadge status={task.status} size="sm" />
                  </Table.Td>
                  <Table.Td>{t(`splits.${cfg.split}`)}</Table.Td>
                  <Table.Td>{t(`targets.${cfg.target}`)}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {task.runs.map((r) => (
                        <Group key={r.id} gap={2}>
                          <Text size="xs">{t(`algorithms.${r.algorithm}`)}</Text>
                          <JobStatusBadge status={r.status} size="xs" />
                        </Group>
                      ))}
                    </Group>
                  </Table.Td>
                  <Table.Td>{formatDateTime(task.createdAt)}</Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
    </Stack>
  );
}
