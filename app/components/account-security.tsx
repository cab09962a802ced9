import { useState } from "react";
import { Alert, Button, Card, Group, PasswordInput, Stack, Text, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { changePasswordInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { useTranslation } from "react-i18next";

/** Account page: change the password (other sessions end) and sign out of every browser. */
export function AccountSecurity() {
  const { t } = useTranslation("auth");
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({
    initialValues: { currentPassword: "", newPassword: "" },
    validate: zodValidate(changePasswordInput),
  });
  const change = trpc.auth.changePassword.useMutation({
    onSuccess: (r) => {
      form.reset();
      setDone(t("account.passwordChanged", { count: r.endedSessions }));
    },
    onError: (e) => form.setErrors(serverFieldErrors(e).fields),
  });
  const everywhere = trpc.auth.logoutEverywhere.useMutation({ onSuccess: () => window.location.assign("/login") });
  return (
    <Stack>
      <Title order={3}>{t("account.security")}</Title>
      <Card withBorder>
        <form
          onSubmit={form.onSubmit((v) => {
            setDone(null);
            change.mutate(v);
          })}
          noValidate
        >
          <Group align="flex-end">
            <PasswordInput
              label={t("fields.currentPassword")}
              autoComplete="current-password"
              {...form.getInputProps("currentPassword")}
              data-testid="current-password"
            />
            <PasswordInput
              label={t("fields.newPassword")}
              autoComplete="new-password"
              {...form.getInputProps("newPassword")}
              data-testid="new-password"
            />
            <Button type="submit" loading={change.isPending} data-testid="change-password">
              {t("account.changePassword")}
            </Button>
          </Group>
        </form>
        {done && (
          <Alert color="teal" mt="sm" data-testid="password-changed">
            {done}
          </Alert>
        )}
      </Card>
      <Card withBorder>
        <Group justify="space-between">
          <Text size="sm">{t("account.everywhereText")}</Text>
          <Button
            color="red"
            variant="light"
            loading={everywhere.isPending}
            onClick={() => everywhere.mutate()}
            data-testid="logout-everywhere"
          >
            {t("account.everywhere")}
          </Button>
        </Group>
      </Card>
    </Stack>
  );
}
