import { isRouteErrorResponse, Link, useRouteError } from "@remix-run/react";
import { Anchor, Button, Card, Group, Stack, Text, Title } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * The page a route shows when what the address names does not exist for this user (HTTP 404),
 * inside the app's layout so the navigation stays; `back` is the list it belongs to.
 */
export function NotFoundPage({ what, back }: { what: string; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  return (
    <Card withBorder maw={640} data-testid="not-found">
      <Stack gap="xs">
        <Title order={2}>{t("notFound.title", { what })}</Title>
        <Text c="dimmed">{t("notFound.text")}</Text>
        <Group>
          <Button component={Link} to={back.to} data-testid="not-found-back">
            {back.label}
          </Button>
          <Anchor component={Link} to="/">
            {t("notFound.home")}
          </Anchor>
        </Group>
      </Stack>
    </Card>
  );
}

/** An ErrorBoundary body: the not-found page for a 404, a short message otherwise. */
export function RouteErrorPage({ what, back }: { what: string; back: { to: string; label: string } }) {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage what={what} back={back} />;
  return (
    <Card withBorder maw={640} data-testid="route-error">
      <Title order={2}>{t("error.title")}</Title>
      <Text c="dimmed" mt="xs">
        {error instanceof Error ? error.message : isRouteErrorResponse(error) ? String(error.data) : t("error.unknown")}
      </Text>
      <Anchor component={Link} to={back.to} mt="sm">
        {back.label}
      </Anchor>
    </Card>
  );
}

/** Throws the 404 response a loader gives for a missing or foreign id (tRPC NOT_FOUND). */
export async function orNotFound<T>(what: string, get: () => Promise<T>): Promise<T> {
  try {
    return await get();
  } catch (e) {
    if ((e as { code?: string }).code === "NOT_FOUND") throw new Response(`${what} not found`, { status: 404 });
    throw e;
  }
}
