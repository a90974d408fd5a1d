"use client";

import { PROJECT_DESCRIPTION_MAX, PROJECT_NAME_MAX, type ProjectDto, type ProjectVisibility } from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateProjectMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, TextAreaField, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import styles from "./access/access.module.css";

export interface NewProjectDialogProps {
  organizationId: string;
  isOpen: boolean;
  onClose: () => void;
  onCreated: (project: ProjectDto) => void;
}

const VISIBILITY_CHOICES: Record<ProjectVisibility, { label: string; description: string }> = {
  organization: { label: "Everyone in the organization", description: "Every member can find and read it." },
  private: {
    label: "Only people and groups I choose",
    description: "Starts with just you; add others with Share on the project page. Admins and owners always see it.",
  },
};

export function NewProjectDialog({ organizationId, isOpen, onClose, onCreated }: NewProjectDialogProps) {
  return (
    <Dialog isOpen={isOpen} title="New project" onClose={onClose} testId="new-project-dialog">
      <NewProjectForm organizationId={organizationId} onCancel={onClose} onCreated={onCreated} />
    </Dialog>
  );
}

function NewProjectForm({
  organizationId,
  onCancel,
  onCreated,
}: Pick<NewProjectDialogProps, "organizationId" | "onCreated"> & { onCancel: () => void }) {
  const [name, setName] = useState("");
  const [key, setKey] = useState("");
  const [description, setDescription] = useState("");
  const [visibility, setVisibility] = useState<ProjectVisibility>("organization");
  const [createProject, { isLoading, error }] = useCreateProjectMutation();
  const issues = fieldIssues(error);
  const issueFor = (field: string) => issues.find((i) => i.path === field)?.message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { name: name.trim(), description, visibility, ...(key.trim() && { key: key.trim() }) };
    const result = await createProject({ organizationId, input });
    if (result.data) onCreated(result.data);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate>
      <div className="form-row">
        <TextField
          label="Name"
          name="name"
          placeholder="Payments platform"
          value={name}
          maxLength={PROJECT_NAME_MAX}
          autoFocus
          required
          error={issueFor("name")}
          onChange={(event) => setName(event.target.value)}
        />
        <TextField
          label="Key"
          name="key"
          placeholder="PAY"
          hint="Optional"
          value={key}
          maxLength={10}
          error={issueFor("key")}
          onChange={(event) => setKey(event.target.value.toUpperCase())}
        />
      </div>
      <TextAreaField
        label="Description"
        name="description"
        placeholder="What this project is about"
        value={description}
        maxLength={PROJECT_DESCRIPTION_MAX}
        error={issueFor("description")}
        onChange={(event) => setDescription(event.target.value)}
      />
      <fieldset className={styles.visibility} data-testid="new-project-visibility">
        <legend>Who can see it</legend>
        {(Object.keys(VISIBILITY_CHOICES) as ProjectVisibility[]).map((choice) => (
          <label key={choice} className={styles.option}>
            <input
              type="radio"
              name="visibility"
              value={choice}
              checked={visibility === choice}
              onChange={() => setVisibility(choice)}
              data-testid={`new-project-visibility-${choice}`}
            />
            <span className={styles.optionLabel}>{VISIBILITY_CHOICES[choice].label}</span>
            <span className={styles.optionDescription}>{VISIBILITY_CHOICES[choice].description}</span>
          </label>
        ))}
      </fieldset>
      {error !== undefined && issues.length === 0 && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onCancel} disabled={isLoading}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isLoading={isLoading} disabled={name.trim() === ""}>
          Create project
        </Button>
      </div>
    </form>
  );
}
