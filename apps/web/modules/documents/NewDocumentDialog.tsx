"use client";

import {
  DOCUMENT_KIND_LABELS,
  DOCUMENT_KINDS,
  DOCUMENT_TITLE_MAX,
  type DocumentDto,
  type DocumentKind,
} from "@devflow/contracts";
import { errorMessage, fieldIssues, useCreateDocumentMutation, useListTemplatesQuery } from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";

const KIND_OPTIONS = DOCUMENT_KINDS.map((kind) => ({ value: kind, label: DOCUMENT_KIND_LABELS[kind] }));

export interface NewDocumentDialogProps {
  organizationId: string;
  projectId: string;
  isOpen: boolean;
  onClose: () => void;
  onCreated: (document: DocumentDto) => void;
}

export function NewDocumentDialog({ isOpen, onClose, ...form }: NewDocumentDialogProps) {
  return (
    <Dialog isOpen={isOpen} title="New document" onClose={onClose} testId="new-document-dialog">
      <NewDocumentForm {...form} onCancel={onClose} />
    </Dialog>
  );
}

function NewDocumentForm({
  organizationId,
  projectId,
  onCancel,
  onCreated,
}: Omit<NewDocumentDialogProps, "isOpen" | "onClose"> & { onCancel: () => void }) {
  const [title, setTitle] = useState("");
  const [kind, setKind] = useState<DocumentKind>("design_doc");
  const [templateId, setTemplateId] = useState("");
  const templates = useListTemplatesQuery({ organizationId });
  const [createDocument, { isLoading, error }] = useCreateDocumentMutation();
  const titleIssue = fieldIssues(error).find((i) => i.path === "title")?.message;
  const templateOptions = [
    { value: "", label: templates.isLoading ? "Loading templates…" : "Blank document" },
    ...(templates.data?.items ?? []).map((t) => ({ value: t.id, label: t.builtIn ? t.name : `${t.name} (saved)` })),
  ];
  const chosen = templates.data?.items.find((t) => t.id === templateId);

  function chooseTemplate(id: string) {
    setTemplateId(id);
    const template = templates.data?.items.find((t) => t.id === id);
    if (template) setKind(template.kind);
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const input = { title: title.trim(), kind, ...(templateId && { templateId }) };
    const result = await createDocument({ organizationId, projectId, input });
    if (result.data) onCreated(result.data);
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate data-testid="new-document-form">
      <TextField
        label="Title"
        name="title"
        placeholder="RFC: Rate limiting for the public API"
        value={title}
        maxLength={DOCUMENT_TITLE_MAX}
        autoFocus
        required
        error={titleIssue}
        onChange={(event) => setTitle(event.target.value)}
      />
      <SelectField
        label="Template"
        name="template"
        value={templateId}
        options={templateOptions}
        hint={chosen?.description}
        data-testid="new-document-template"
        onChange={(event) => chooseTemplate(event.target.value)}
      />
      <SelectField
        label="Kind"
        name="kind"
        value={kind}
        options={KIND_OPTIONS}
        disabled={Boolean(chosen)}
        onChange={(event) => setKind(event.target.value as DocumentKind)}
      />
      {error !== undefined && !titleIssue && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onCancel} disabled={isLoading}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isLoading={isLoading} disabled={title.trim() === ""}>
          Create document
        </Button>
      </div>
    </form>
  );
}
