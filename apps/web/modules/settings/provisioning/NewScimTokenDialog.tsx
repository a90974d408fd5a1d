"use client";

import { type CreatedScimTokenDto, SCIM_TOKEN_NAME_MAX } from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateScimTokenMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { CopyValueButton } from "./CopyValueButton";
import styles from "./provisioning.module.css";

export interface NewScimTokenDialogProps {
  organizationId: string;
  isOpen: boolean;
  onClose: () => void;
}

/**
 * Creates a SCIM token, then shows it once. The token lives only in this dialog's state: closing
 * the dialog unmounts it, and nothing else (cache, URL, storage) ever holds it.
 */
export function NewScimTokenDialog({ organizationId, isOpen, onClose }: NewScimTokenDialogProps) {
  const [created, setCreated] = useState<CreatedScimTokenDto | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      isOpen={isOpen}
      title={created ? "Copy your SCIM token" : "New SCIM token"}
      onClose={close}
      testId="new-scim-token-dialog"
    >
      {created ? (
        <ScimTokenReveal created={created} onDone={close} />
      ) : (
        <NewScimTokenForm organizationId={organizationId} onCancel={close} onCreated={setCreated} />
      )}
    </Dialog>
  );
}

function NewScimTokenForm({
  organizationId,
  onCancel,
  onCreated,
}: {
  organizationId: string;
  onCancel: () => void;
  onCreated: (created: CreatedScimTokenDto) => void;
}) {
  const [name, setName] = useState("");
  const [createScimToken, { isLoading, error }] = useCreateScimTokenMutation();
  const issues = fieldIssues(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await createScimToken({ organizationId, input: { name: name.trim() } });
    if (result.data) onCreated(result.data);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="new-scim-token-form">
      <TextField
        label="Name"
        name="name"
        placeholder="Okta"
        hint="Which identity provider uses this token, so you know which one to revoke later."
        value={name}
        maxLength={SCIM_TOKEN_NAME_MAX}
        autoFocus
        required
        error={issues.find((i) => i.path === "name")?.message}
        onChange={(event) => setName(event.target.value)}
        data-testid="scim-token-name"
      />
      {error !== undefined && issues.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onCancel} disabled={isLoading}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          isLoading={isLoading}
          disabled={name.trim() === ""}
          data-testid="create-scim-token"
        >
          Create token
        </Button>
      </div>
    </form>
  );
}

function ScimTokenReveal({ created, onDone }: { created: CreatedScimTokenDto; onDone: () => void }) {
  return (
    <div className={styles.reveal} data-testid="scim-token-reveal">
      <Alert tone="info" title="You won't see this token again">
        Paste it into your identity provider now as the API token (Okta) or secret token (Entra ID). If you lose it,
        revoke it and create a new one.
      </Alert>
      <div className={styles.valueRow}>
        <input
          className={styles.value}
          value={created.token}
          readOnly
          aria-label={`SCIM token ${created.name}`}
          onFocus={(event) => event.currentTarget.select()}
          spellCheck={false}
          autoComplete="off"
          data-testid="scim-token-value"
        />
        <CopyValueButton value={created.token} label="Copy SCIM token" variant="primary" testId="copy-scim-token" />
      </div>
      <div className="ui-dialog__footer">
        <Button onClick={onDone} data-testid="scim-token-reveal-done">
          Done
        </Button>
      </div>
    </div>
  );
}
