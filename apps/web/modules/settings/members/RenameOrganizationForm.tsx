"use client";

import { ORGANIZATION_NAME_MAX, type MyOrganizationDto } from "@devflow/contracts";
import { errorMessage, fieldIssues, useRenameOrganizationMutation } from "@devflow/web-data-access";
import { Alert, Button, TextField } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import styles from "./members.module.css";

/** The organization's name, editable by admins and owners; the URL (slug) does not change. */
export function RenameOrganizationForm({ organization }: { organization: MyOrganizationDto }) {
  const router = useRouter();
  const [name, setName] = useState(organization.name);
  const [renameOrganization, { isLoading, error, isSuccess, reset }] = useRenameOrganizationMutation();
  const issue = fieldIssues(error).find((i) => i.path === "name")?.message;
  const trimmed = name.trim();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await renameOrganization({ organizationId: organization.id, input: { name: trimmed } });
    // The name is in the server-rendered shell (sidebar, switcher) too.
    if (result.data) router.refresh();
  }

  return (
    <form className={`panel ${styles.renameForm}`} onSubmit={submit} noValidate data-testid="rename-organization">
      <TextField
        label="Organization name"
        name="name"
        value={name}
        maxLength={ORGANIZATION_NAME_MAX}
        required
        error={issue}
        hint={isSuccess ? "Saved." : `The address stays /${organization.slug}.`}
        onChange={(event) => {
          setName(event.target.value);
          if (isSuccess || error) reset();
        }}
      />
      <Button
        type="submit"
        variant="secondary"
        isLoading={isLoading}
        disabled={trimmed === "" || trimmed === organization.name}
        data-testid="rename-organization-submit"
      >
        Save name
      </Button>
      {error !== undefined && !issue && <Alert>{errorMessage(error)}</Alert>}
    </form>
  );
}
