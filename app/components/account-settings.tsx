import { useState } from "react";
import { Alert, Button, Card, Group, Modal, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { deleteAccountInput, updateProfileInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";
import { useTranslation } from "react-i18next";

/** Account page: the display name. */
export function ProfileSettings({ displayName, onSaved }: { displayName: string; onSaved: (name: string) => void }) {
  const { t } = useTranslation("auth");
  const [saved, setSaved] = useState(false);
  const form = useForm({ initialValues: { displayName }, validate: zodValidate(updateProfileInput) });
  const update = trpc.auth.updateProfile.useMutation({
    onSuccess: (r) => {
      setSaved(true);
      form.setValues({ displayName: r.user.displayName });
      onSaved(r.user.displayName);
    },
    onError: (e) => form.setErrors(serverFieldErrors(e).fields),
  });
  return (
    <Card withBorder>
      <form
        onSubmit={form.onSubmit((v) => {
          setSaved(false);
          update.mutate(v);
        })}
        noValidate
      >
        <Group align="flex-end">
          <TextInput
            label={t("fields.displayName")}
            {...form.getInputProps("displayName")}
            data-testid="display-name"
          />
          <Button type="submit" loading={update.isPending} data-testid="display-name-save">
            {t("account.saveName")}
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="display-name-saved">
              {t("account.saved")}
            </Text>
          )}
        </Group>
      </form>
    </Card>
  );
}

/**
 * Deleting the account: a modal that says what goes, asks the user to type their email and
 * password, and keeps the delete button disabled until the typed email matches.
 */
export function DeleteAccount({ email }: { email: string }) {
  const { t } = useTranslation("auth");
  const [open, setOpen] = useState(false);
  const form = useForm({
    initialValues: { confirmEmail: "", password: "" },
    validate: zodValidate(deleteAccountInput),
  });
  const del = trpc.auth.deleteAccount.useMutation({
    onSuccess: () => window.location.assign("/login"),
    onError: (e) => form.setErrors(serverFieldErrors(e).fields),
  });
  const matches = form.values.confirmEmail.trim().toLowerCase() === email.toLowerCase();
  return (
    <Stack>
      <Title order={3}>{t("account.deleteTitle")}</Title>
      <Card withBorder>
        <Group justify="space-between">
          <Text size="sm">{t("account.deleteText")}</Text>
          <Button color="red" onClick={() => setOpen(true)} data-testid="delete-account">
            {t("account.deleteButton")}
          </Button>
        </Group>
      </Card>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title={t("account.deleteModalTitle")}
        data-testid="delete-account-modal"
      >
        <form onSubmit={form.onSubmit((v) => del.mutate(v))} noValidate>
          <Stack>
            <Alert color="red">{t("account.deleteWarning")}</Alert>
            <TextInput
              label={t("account.typeEmail", { email })}
              autoComplete="off"
              {...form.getInputProps("confirmEmail")}
              data-testid="delete-confirm-email"
            />
            <PasswordInput
              label={t("fields.password")}
              autoComplete="current-password"
              {...form.getInputProps("password")}
              data-testid="delete-password"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                {t("account.keepAccount")}
              </Button>
              <Button
                type="submit"
                color="red"
                disabled={!matches}
                loading={del.isPending}
                data-testid="delete-account-confirm"
              >
                {t("account.deleteEverything")}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
