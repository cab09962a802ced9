import { Container, Paper, Title, Text } from "@mantine/core";

export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: React.ReactNode;
  children: React.ReactNode;
}) {
  return (
    <Container size={440} my={60}>
      <Title ta="center" c="teal.7">
        VoltLab
      </Title>
      <Text ta="center" c="dimmed" size="sm" mt={5}>
        {subtitle}
      </Text>
      <Paper withBorder shadow="sm" p={30} mt={24} radius="md">
        <Title order={3} mb="md">
          {title}
        </Title>
        {children}
      </Paper>
    </Container>
  );
}
