import { useState, type ReactNode } from "react";
import { Button, Group, Modal, Text, type ButtonProps } from "@mantine/core";
import { useTranslation } from "react-i18next";

/**
 * A button for an action that cannot be undone (cancel, revoke, delete): it opens a Mantine
 * modal that says what will happen, and only its confirm button runs `onConfirm`.
 */
export function ConfirmButton({
  title,
  message,
  confirmLabel,
  onConfirm,
  children,
  testId,
  ...button
}: ButtonProps & {
  title: string;
  message: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  children: ReactNode;
  testId?: string;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)} data-testid={testId}>
        {children}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} data-testid="confirm-modal">
        <Text size="sm">{message}</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setOpen(false)} data-testid="confirm-keep">
            {t("actions.keep")}
          </Button>
          <Button
            color="red"
            data-testid="confirm-ok"
            onClick={() => {
              setOpen(false);
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </Group>
      </Modal>
    </>
  );
}
