import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Alert, Anchor, Badge, Button, Group, Modal, Stack, Table, Text, TextInput, Title } from "@mantine/core";
import { useForm } from "@mantine/form";
import { assetCreateInput, assetNameSchema } from "../../server/schemas/energy";
import { trpc } from "../lib/trpc";
import { serverFieldErrors, zodValidate } from "../lib/form-errors";

export async function loader({ context }: LoaderFunctionArgs) {
  return json({ assets: await context.trpc.energy.assets.list() });
}

const freq = (s: number | null) =>
  s === null ? "—" : s % 3600 === 0 ? `${s / 3600} h` : s % 60 === 0 ? `${s / 60} min` : `${s} s`;

export default function EnergyAssets() {
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
    onError: (e) => setRenameError(e.message),
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
          Energy Lab: assets
        </Title>
        <Button component={Link} to="/energy/upload" data-testid="energy-upload-link">
          Upload a series
        </Button>
      </Group>
      <Text size="sm" c="dimmed">
        An asset is one metered series (a target and optional covariates). Built-in assets are shared and read-only.
      </Text>
      <Table striped withTableBorder data-testid="energy-asset-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Target</Table.Th>
            <Table.Th>Frequency</Table.Th>
            <Table.Th>Points</Table.Th>
            <Table.Th>Range (UTC)</Table.Th>
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
                      built-in · read-only
                    </Badge>
                  )}
                </Group>
              </Table.Td>
              <Table.Td>
                {a.targetName}
                {a.unit ? ` (${a.unit})` : ""}
              </Table.Td>
              <Table.Td>{freq(a.frequencySeconds)}</Table.Td>
              <Table.Td>{a.pointCount.toLocaleString("en")}</Table.Td>
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
                      Rename
                    </Button>
                    <Button
                      size="xs"
                      variant="light"
                      color="red"
                      onClick={() => setDeleting({ id: a.id, name: a.name })}
                    >
                      Delete
                    </Button>
                  </Group>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>

      <Title order={4}>New empty asset</Title>
      <form onSubmit={form.onSubmit((v) => create.mutate({ name: v.name, unit: v.unit || null }))} noValidate>
        <Group align="flex-end">
          <TextInput label="Name" {...form.getInputProps("name")} data-testid="energy-new-name" />
          <TextInput label="Unit" placeholder="kWh" {...form.getInputProps("unit")} w={120} />
          <Button type="submit" loading={create.isPending} data-testid="energy-create">
            Create
          </Button>
        </Group>
      </form>

      <Modal opened={!!renaming} onClose={() => setRenaming(null)} title="Rename asset">
        {renaming && (
          <Stack>
            <TextInput
              label="Name"
              value={renaming.name}
              onChange={(e) => setRenaming({ ...renaming, name: e.currentTarget.value })}
              error={renameError ?? (assetNameSchema.safeParse(renaming.name).success ? null : "Name is required")}
            />
            <Button onClick={() => rename.mutate(renaming)} loading={rename.isPending}>
              Save
            </Button>
          </Stack>
        )}
      </Modal>
      <Modal opened={!!deleting} onClose={() => setDeleting(null)} title="Delete asset">
        {deleting && (
          <Stack>
            <Alert color="red">
              Delete “{deleting.name}” with all its points and uploaded files? This cannot be undone.
            </Alert>
            <Button color="red" onClick={() => del.mutate({ id: deleting.id })} loading={del.isPending}>
              Delete
            </Button>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}

export function meta() {
  return [{ title: "Energy Lab · VoltLab" }];
}
