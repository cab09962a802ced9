import { Container, Group, Paper, Title, Text } from "@mantine/core";
import { useTranslation } from "react-i18next";
import { LanguageSwitch } from "./language-switch";

export function AuthCard({
  title,
  subtitle,
  children,
}: {
  title: string;
  subtitle: React.ReactNode;
  children: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <Container size={440} my={60}>
      <Group justify="flex-end">
        <LanguageSwitch signedIn={false} />
      </Group>
      <Title ta="center" c="teal.7">
        {t("appName")}
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
