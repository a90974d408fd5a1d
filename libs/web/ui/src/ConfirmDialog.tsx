"use client";

import type { ReactNode } from "react";
import { Alert } from "./Alert";
import { Button } from "./Button";
import { Dialog } from "./Dialog";

export interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  message: ReactNode;
  confirmLabel: string;
  /** Red confirm button for actions that cannot be undone. */
  isDestructive?: boolean;
  isBusy?: boolean;
  /** The failure of the last attempt, shown above the buttons. */
  error?: string | null;
  onConfirm: () => void;
  onCancel: () => void;
}

export function ConfirmDialog({
  isOpen,
  title,
  message,
  confirmLabel,
  isDestructive = false,
  isBusy = false,
  error,
  onConfirm,
  onCancel,
}: ConfirmDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title={title}
      description={message}
      onClose={onCancel}
      testId="confirm-dialog"
      footer={
        <>
          {/* Cancel takes focus first: Enter on a destructive prompt should not destroy anything. */}
          <Button autoFocus onClick={onCancel} disabled={isBusy}>
            Cancel
          </Button>
          <Button variant={isDestructive ? "danger" : "primary"} onClick={onConfirm} isLoading={isBusy}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {error && <Alert>{error}</Alert>}
    </Dialog>
  );
}
