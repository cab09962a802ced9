import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { assetCreateInput, assetNameSchema } from "../../server/schemas/energy";
import { trpc } from "../lib/trpc";
import { errorMessage, issueMessage, serverFieldErrors, zodValidate } from "../lib/form-errors";
import { useFormat } from "../lib/format";
import { pageTitle } from "../lib/meta";
import { useDuration } from "../components/energy/duration";
import { useTranslation } from "react-i18next";
import type { MetaArgs } from "@remix-run/node";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ assets: await context.trpc.energy.assets.list() });
}

export default function EnergyAssets() {
  const { t } = useTranslation("energy");
  const { n } = useFormat();
  const freq = useDuration();
  const initial = useLoaderData<typeof loader>();
  const utils = trpc.useUtils();
  const assets = trpc.energy.assets.list.useQuery(undefined, { initialData: initial.assets as never });
  const [renaming, setRenaming] = useState<{ id: number; name: string } | null>(null);
  const [renameError, setRenameError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<{ id: number; name: string } | null>(null);
  const form = useForm({ initialValues: { name: "", unit: "" }, validate: zodValidate(assetCreateInput) });
  const create = trpc.energy.assets.create.useMutation({
    onSuccess: () => {
      form.reset();
      void utils.energy.assets.list.invalidate();
    },
    onError: (e) => form.setErrors(serverFieldErrors(e).fields),
  });
  const rename = trpc.energy.assets.rename.useMutation({
    onSuccess: () => {
      setRenaming(null);
      void utils.energy.assets.list.invalidate();
    },
    onError: (e) => setRenameError(errorMessage(e)),
  });
  const del = trpc.energy.assets.delete.useMutation({
    onSuccess: () => {
      setDeleting(null);
      void utils.energy.assets.list.invalidate();
    },
  });

  return (
    <Stack maw={1100}>
      <Group justify="space-between">
        <Title order={2} data-testid="energy-title">
          {t("assets.title")}
        </Title>
        <Button component={Link} to="/energy/upload" data-testid="energy-upload-link">
          {t("assets.uploadLink")}
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        {t("assets.intro")}
      </Text>
      <Table striped withTableBorder data-testid="energy-asset-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t("assets.name")}</Table.Th>
            <Table.Th>{t("assets.target")}</Table.Th>
            <Table.Th>{t("assets.frequency")}</Table.Th>
            <Table.Th>{t("assets.points")}</Table.Th>
            <Table.Th>{t("assets.range")}</Table.Th>
            <Table.Th />
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(assets.data ?? []).map((a) => (
            <Table.Tr key={a.id} data-testid={`energy-asset-${a.id}`}>
              <Table.Td>
                <Group gap="xs">
                  <Anchor component={Link} to={`/energy/assets/${a.id}`}>
                    {a.name}
                  </Anchor>
                  {a.builtIn && (
                    <Badge size="sm" variant="light" color="gray" data-testid="builtin-badge">
                      {t("assets.builtIn")}
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {a.targetName}
                {a.unit ? ` (${a.unit})` : ""}
              </Table.Td>
              <Table.Td>{freq(a.frequencySeconds)}</Table.Td>
              <Table.Td>{n(a.pointCount)}</Table.Td>
              <Table.Td>
                {a.firstTs ? `${String(a.firstTs).slice(0, 10)} → ${String(a.lastTs).slice(0, 10)}` : "—"}
              </Table.Td>
              <Table.Td>
                {!a.readOnly && (
                  <Group gap={4} justify="flex-end">
                    <Button
                      size="xs"
                      variant="light"
                      onClick={() => {
                        setRenameError(null);
                        setRenaming({ id: a.id, name: a.name });
                      }}
                    >
                      {t("assets.rename")}
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => setDeleting({ id: a.id, name: a.name })}
                    >
                      {t("assets.delete")}
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>{t("assets.newTitle")}</Title>
      <form onSubmit={form.onSubmit((v) => create.mutate({ name: v.name, unit: v.unit || null }))} noValidate>
        <Group align="flex-end">
          <TextInput label={t("assets.name")} {...form.getInputProps("name")} data-testid="energy-new-name" />
          <TextInput
            label={t("assets.unit")}
            placeholder={t("assets.unitPlaceholder")}
            {...form.getInputProps("unit")}
            w={120}
          />
          <Button type="submit" loading={create.isPending} data-testid="energy-create">
            {t("assets.create")}
          </Button>
        </Group>
      </form>

      <Modal opened={!!renaming} onClose={() => setRenaming(null)} title={t("assets.renameTitle")}>
        {renaming && (
          <Stack>
            <TextInput
              label={t("assets.name")}
              value={renaming.name}
              onChange={(e) => setRenaming({ ...renaming, name: e.currentTarget.value })}
              error={renameError ?? nameProblem(renaming.name)}
            />
            <Button onClick={() => rename.mutate(renaming)} loading={rename.isPending}>
              {t("assets.save")}
            </Button>
          </Stack>
        )}
      </Modal>
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title={t("assets.deleteTitle")}>
        {deleting && (
          <Stack>
            <Alert color="red">{t("assets.deleteText", { name: deleting.name })}</Alert>
            <Button color="red" onClick={() => del.mutate({ id: deleting.id })} loading={del.isPending}>
              {t("assets.delete")}
            </Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

export const meta = (args: MetaArgs) => pageTitle(args, "energy:assets.pageTitle");

/** The name field's own problem (empty, too long) in the user's language, or null. */
function nameProblem(name: string): string | null {
  const r = assetNameSchema.safeParse(name);
  return r.success ? null : issueMessage(r.error.issues[0]);
}
