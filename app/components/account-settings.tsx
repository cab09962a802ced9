import { useState } from "react";
import { Alert, Button, Card, Group, Modal, PasswordInput, Stack, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { deleteAccountInput, updateProfileInput } from "../../server/schemas/auth";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";

/** Account page: the display name. */
export function ProfileSettings({ displayName, onSaved }: { displayName: string; onSaved: (name: string) => void }) {
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
          <TextInput label="Display name" {...form.getInputProps("displayName")} data-testid="display-name" />
          <Button type="submit" loading={update.isPending} data-testid="display-name-save">
            Save name
          </Button>
          {saved && (
            <Text size="sm" c="teal" data-testid="display-name-saved">
              Saved
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
      <Title order={3}>Delete account</Title>
      <Card withBorder>
        <Group justify="space-between">
          <Text size="sm">
            Deletes your account and all its data: uploads, datasets, models, tests, forecasts, detections, API keys and
            stored files. This cannot be undone.
          </Text>
          <Button color="red" onClick={() => setOpen(true)} data-testid="delete-account">
            Delete account…
          </Button>
        </Group>
      </Card>
      <Modal
        opened={open}
        onClose={() => setOpen(false)}
        title="Delete your account and all its data?"
        data-testid="delete-account-modal"
      >
        <form onSubmit={form.onSubmit((v) => del.mutate(v))} noValidate>
          <Stack>
            <Alert color="red">
              Everything you uploaded, trained, tested and stored is removed at once, and every session and API key
              stops working. This cannot be undone.
            </Alert>
            <TextInput
              label={`Type your email (${email}) to confirm`}
              autoComplete="off"
              {...form.getInputProps("confirmEmail")}
              data-testid="delete-confirm-email"
            />
            <PasswordInput
              label="Password"
              autoComplete="current-password"
              {...form.getInputProps("password")}
              data-testid="delete-password"
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={() => setOpen(false)}>
                Keep my account
              </Button>
              <Button
                type="submit"
                color="red"
                disabled={!matches}
                loading={del.isPending}
                data-testid="delete-account-confirm"
              >
                Delete everything
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Stack>
  );
}
