"use client";

import { TEMPLATE_NAME_MAX, type DocumentSummaryDto } from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateTemplateMutation, useGetDocumentQuery } from "@devflow/web-data-access";
import { Alert, Button, Dialog, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";

export interface SaveAsTemplateDialogProps {
  organizationId: string;
  document: DocumentSummaryDto;
  isOpen: boolean;
  onClose: () => void;
}

/** Saves a document's current text as one of the organization's templates for new documents. */
export function SaveAsTemplateDialog({ isOpen, onClose, ...form }: SaveAsTemplateDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title="Save as template"
      description={`New documents can start from the text of “${form.document.title}”.`}
      onClose={onClose}
      testId="save-template-dialog"
    >
      <SaveAsTemplateForm {...form} onDone={onClose} />
    </Dialog>
  );
}

function SaveAsTemplateForm({
  organizationId,
  document,
  onDone,
}: Omit<SaveAsTemplateDialogProps, "isOpen" | "onClose"> & { onDone: () => void }) {
  const [name, setName] = useState(document.title.slice(0, TEMPLATE_NAME_MAX));
  const source = useGetDocumentQuery({ organizationId, documentId: document.id });
  const [createTemplate, { isLoading, error }] = useCreateTemplateMutation();
  const nameIssue = fieldIssues(error).find((i) => i.path === "name")?.message;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!source.data) return;
    const result = await createTemplate({
      organizationId,
      input: { name: name.trim(), kind: source.data.kind, content: source.data.content },
    });
    if (result.data) onDone();
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="save-template-form">
      <TextField
        label="Template name"
        name="name"
        value={name}
        maxLength={TEMPLATE_NAME_MAX}
        autoFocus
        required
        error={nameIssue}
        onChange={(event) => setName(event.target.value)}
      />
      {source.error !== undefined && <Alert>{errorMessage(source.error)}</Alert>}
      {error !== undefined && !nameIssue && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onDone} disabled={isLoading}>
          Cancel
        </Button>
        <Button
          type="submit"
          variant="primary"
          isLoading={isLoading || source.isLoading}
          disabled={name.trim() === "" || !source.data}
        >
          Save template
        </Button>
      </div>
    </form>
  );
}
