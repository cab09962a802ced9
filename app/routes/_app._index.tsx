import { json, type LoaderFunctionArgs, type MetaArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, SimpleGrid, Text, Title, Button, Stack } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { pageTitle } from "../lib/meta";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ displayName: context.user?.displayName ?? "" });
}

export default function Dashboard() {
  const { t } = useTranslation();
  const { displayName } = useLoaderData<typeof loader>();
  return (
    <Stack>
      <Title order={2} data-testid="dashboard-title">
        {t("dashboard.welcome", { name: displayName })}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg">
          <Title order={3}>{t("nav.batteryLab")}</Title>
          <Text c="dimmed" mt="xs">
            {t("dashboard.batteryText")}
          </Text>
          <Button component={Link} to="/battery" mt="md" variant="light">
            {t("dashboard.batteryOpen")}
          </Button>
        </Card>
        <Card withBorder padding="lg">
          <Title order={3}>{t("nav.energyLab")}</Title>
          <Text c="dimmed" mt="xs">
            {t("dashboard.energyText")}
          </Text>
          <Button component={Link} to="/energy" mt="md" variant="light">
            {t("dashboard.energyOpen")}
          </Button>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

export function meta(args: MetaArgs) {
  return pageTitle(args, "common:dashboard.title");
}
