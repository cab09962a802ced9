import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useState } from "react";
import {
  Alert,
  Badge,
  Button,
  Card,
  Code,
  CopyButton,
  Group,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from "@mantine/core";
import { useForm } from "@mantine/form";
import { apiKeyCreateInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { AccountSecurity } from "../components/account-security";
import { formatDateTime } from "../lib/dates";
import { ConfirmButton } from "../components/confirm-button";
import { DeleteAccount, ProfileSettings } from "../components/account-settings";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";
import { pageTitle } from "../lib/meta";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ user: context.user!, keys: await context.trpc.apiKeys.list() });
}

function fmt(d: string | Date | null) {
  return formatDateTime(d);
}

/** What scripts send (code, the same in every language). */
const AUTH_HEADER = "Authorization: Bearer <key>";

export default function Account() {
  const { t } = useTranslation(["auth", "common"]);
  const initial = useLoaderData<typeof loader>();
  const utils = trpc.useUtils();
  const keys = trpc.apiKeys.list.useQuery(undefined, { initialData: initial.keys as never });
  const [newKey, setNewKey] = useState<string | null>(null);
  const [displayName, setDisplayName] = useState(initial.user.displayName);
  const form = useForm({ initialValues: { name: "" }, validate: zodValidate(apiKeyCreateInput) });
  const create = trpc.apiKeys.create.useMutation({
    onSuccess: (r) => {
      setNewKey(r.key);
      form.reset();
      void utils.apiKeys.list.invalidate();
    },
    onError: (e) => form.setErrors(serverFieldErrors(e).fields),
  });
  const revoke = trpc.apiKeys.revoke.useMutation({ onSuccess: () => void utils.apiKeys.list.invalidate() });

  return (
    <Stack maw={900}>
      <Title order={2}>{t("account.title")}</Title>
      <Card withBorder>
        <Text>
          <b data-testid="account-display-name">{displayName}</b> · {initial.user.email}
        </Text>
        <Text size="sm" c="dimmed">
          {t("account.memberSince", { date: fmt(initial.user.createdAt) })}
        </Text>
      </Card>

      <ProfileSettings displayName={initial.user.displayName} onSaved={setDisplayName} />

      <AccountSecurity />

      <Title order={3}>{t("account.apiKeys")}</Title>
      <Text size="sm" c="dimmed">
        {t("account.apiKeysBefore")} <Code>{AUTH_HEADER}</Code> {t("account.apiKeysAfter")}
      </Text>
      <form onSubmit={form.onSubmit((v) => create.mutate(v))} noValidate>
        <Group align="flex-end">
          <TextInput
            label={t("account.newKeyName")}
            placeholder={t("account.newKeyPlaceholder")}
            {...form.getInputProps("name")}
            data-testid="api-key-name"
          />
          <Button type="submit" loading={create.isPending} data-testid="api-key-create">
            {t("account.createKey")}
          </Button>
        </Group>
      </form>
      {newKey && (
        <Alert color="teal" title={t("account.copyNow")} data-testid="api-key-new">
          <Group>
            <Code data-testid="api-key-value">{newKey}</Code>
            <CopyButton value={newKey}>
              {({ copied, copy }) => (
                <Button size="xs" onClick={copy}>
                  {copied ? t("common:actions.copied") : t("common:actions.copy")}
                </Button>
              )}
            </CopyButton>
          </Group>
        </Alert>
      )}
      <Table striped withTableBorder data-testid="api-key-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("account.keyName")}</Table.Th>
            <Table.Th>{t("account.keyPrefix")}</Table.Th>
            <Table.Th>{t("account.keyCreated")}</Table.Th>
            <Table.Th>{t("account.keyLastUsed")}</Table.Th>
            <Table.Th>{t("account.keyStatus")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(keys.data ?? []).map((k) => (
            <Table.Tr key={k.id} data-testid="api-key-row" data-status={k.revokedAt ? "revoked" : "active"}>
              <Table.Td>{k.name}</Table.Td>
              <Table.Td>
                <Code>{k.prefix}…</Code>
              </Table.Td>
              <Table.Td>{fmt(k.createdAt)}</Table.Td>
              <Table.Td>{fmt(k.lastUsedAt)}</Table.Td>
              <Table.Td>
                {k.revokedAt ? (
                  <Badge color="gray">{t("account.revoked")}</Badge>
                ) : (
                  <Badge color="teal">{t("account.active")}</Badge>
                )}
              </Table.Td>
              <Table.Td>
                {!k.revokedAt && (
                  <ConfirmButton
                    size="xs"
                    color="red"
                    variant="light"
                    testId="api-key-revoke"
                    title={t("account.revokeTitle", { name: k.name })}
                    message={t("account.revokeMessage")}
                    confirmLabel={t("account.revokeConfirm")}
                    onConfirm={() => revoke.mutate({ id: k.id })}
                  >
                    {t("account.revoke")}
                  </ConfirmButton>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
          {keys.data?.length === 0 && (
            <Table.Tr>
              <Table.Td colSpan={6}>
                <Text c="dimmed" size="sm">
                  {t("account.noKeys")}
                </Text>
              </Table.Td>
            </Table.Tr>
          )}
        </Table.Tbody>
      </Table>

      <DeleteAccount email={initial.user.email} />
    </Stack>
  );
}

export function meta(args: MetaArgs) {
  return pageTitle(args, "auth:account.title");
}
