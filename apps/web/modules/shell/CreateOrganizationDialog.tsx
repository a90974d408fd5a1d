"use client";

import { ORGANIZATION_NAME_MAX, type MyOrganizationDto } from "@devflow/contracts";
import { errorMessage, useCreateOrganizationMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";

export interface CreateOrganizationDialogProps {
  isOpen: boolean;
  onClose: () => void;
  /** Called with the new organization (the user is its owner). */
  onCreated: (organization: MyOrganizationDto) => void | Promise<void>;
}

export function CreateOrganizationDialog({ isOpen, onClose, onCreated }: CreateOrganizationDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title="Create organization"
      description="A separate workspace with its own projects, documents and members. You will be its owner."
      onClose={onClose}
      testId="create-organization-dialog"
    >
      <CreateOrganizationForm onCancel={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

export function CreateOrganizationForm({
  onCancel,
  onCreated,
}: {
  onCancel?: () => void;
  onCreated: CreateOrganizationDialogProps["onCreated"];
}) {
  const [name, setName] = useState("");
  const [createOrganization, { isLoading, error }] = useCreateOrganizationMutation();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await createOrganization({ name: name.trim() });
    if (result.data) await onCreated(result.data);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate>
      <TextField
        label="Organization name"
        name="name"
        placeholder="Acme Engineering"
        value={name}
        maxLength={ORGANIZATION_NAME_MAX}
        autoFocus
        required
        onChange={(event) => setName(event.target.value)}
      />
      {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        {onCancel && (
          <Button onClick={onCancel} disabled={isLoading}>
            Cancel
          </Button>
        )}
        <Button type="submit" variant="primary" isLoading={isLoading} disabled={name.trim() === ""}>
          Create organization
        </Button>
      </div>
    </form>
  );
}
