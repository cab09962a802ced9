import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Card, SimpleGrid, Text, Title, Button, Stack } from "@mantine/core";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ displayName: context.user?.displayName ?? "" });
}

export default function Dashboard() {
  const { displayName } = useLoaderData<typeof loader>();
  return (
    <Stack>
      <Title order={2} data-testid="dashboard-title">
        Welcome, {displayName}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder padding="lg">
          <Title order={3}>Battery Lab</Title>
          <Text c="dimmed" mt="xs">
            Explore the 124-cell Severson dataset and your uploads, train RUL/PCL models and test them on chosen cells.
          </Text>
          <Button component={Link} to="/battery" mt="md" variant="light">
            Open Battery Lab
          </Button>
        </Card>
        <Card withBorder padding="lg">
          <Title order={3}>Energy Lab</Title>
          <Text c="dimmed" mt="xs">
            Consumption series per asset, forecasting with prediction intervals and anomaly detection from forecast
            residuals.
          </Text>
          <Button component={Link} to="/energy" mt="md" variant="light">
            Open Energy Lab
          </Button>
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

export function meta() {
  return [{ title: "Dashboard · VoltLab" }];
}
