"use client";

import { API_TOKEN_NAME_MAX, type ApiTokenScope, type CreatedApiTokenDto } from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateApiTokenMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { TokenReveal } from "./TokenReveal";
import { ACCESS_CHOICES, EXPIRY_OPTIONS, expiryDaysOf, scopesUpTo } from "./token-format";
import styles from "./tokens.module.css";

export interface NewApiTokenDialogProps {
  organizationId: string;
  /** What the caller's role lets a token do; higher choices are not offered. */
  allowedScopes: readonly ApiTokenScope[];
  isOpen: boolean;
  onClose: () => void;
}

/**
 * Creates a token, then shows it once. The token lives only in this dialog's state: closing the
 * dialog unmounts it, and nothing else (cache, URL, storage) ever holds it.
 */
export function NewApiTokenDialog({ organizationId, allowedScopes, isOpen, onClose }: NewApiTokenDialogProps) {
  const [created, setCreated] = useState<CreatedApiTokenDto | null>(null);
  const close = () => {
    setCreated(null);
    onClose();
  };
  return (
    <Dialog
      isOpen={isOpen}
      title={created ? "Copy your new token" : "New API token"}
      onClose={close}
      testId="new-token-dialog"
    >
      {created ? (
        <TokenReveal created={created} onDone={close} />
      ) : (
        <NewApiTokenForm
          organizationId={organizationId}
          allowedScopes={allowedScopes}
          onCancel={close}
          onCreated={setCreated}
        />
      )}
    </Dialog>
  );
}

function NewApiTokenForm({
  organizationId,
  allowedScopes,
  onCancel,
  onCreated,
}: Pick<NewApiTokenDialogProps, "organizationId" | "allowedScopes"> & {
  onCancel: () => void;
  onCreated: (created: CreatedApiTokenDto) => void;
}) {
  const [name, setName] = useState("");
  const [access, setAccess] = useState<ApiTokenScope>("read");
  const [expiry, setExpiry] = useState<string>("30");
  const [createApiToken, { isLoading, error }] = useCreateApiTokenMutation();
  const issues = fieldIssues(error);
  const issueFor = (field: string) => issues.find((i) => i.path === field)?.message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name: name.trim(), scopes: scopesUpTo(access), expiresInDays: expiryDaysOf(expiry) };
    const result = await createApiToken({ organizationId, input });
    if (result.data) onCreated(result.data);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="new-token-form">
      <TextField
        label="Name"
        name="name"
        placeholder="CI deploys"
        hint="What uses this token, so you know which one to revoke later."
        value={name}
        maxLength={API_TOKEN_NAME_MAX}
        autoFocus
        required
        error={issueFor("name")}
        onChange={(event) => setName(event.target.value)}
        data-testid="token-name"
      />
      <fieldset className={styles.scopes} data-testid="token-access">
        <legend>Access</legend>
        {allowedScopes.map((scope) => (
          <label key={scope} className={styles.scopeOption}>
            <input
              type="radio"
              name="access"
              value={scope}
              checked={access === scope}
              onChange={() => setAccess(scope)}
              data-testid={`token-access-${scope}`}
            />
            <span className={styles.scopeLabel}>{ACCESS_CHOICES[scope].label}</span>
            <span className={styles.scopeDescription}>{ACCESS_CHOICES[scope].description}</span>
          </label>
        ))}
      </fieldset>
      <SelectField
        label="Expires after"
        name="expiry"
        value={expiry}
        options={EXPIRY_OPTIONS}
        error={issueFor("expiresInDays")}
        onChange={(event) => setExpiry(event.target.value)}
        data-testid="token-expiry"
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
          data-testid="create-token"
        >
          Create token
        </Button>
      </div>
    </form>
  );
}
