"use client";

import type { DocumentSummaryDto } from "@devflow/contracts";
import { errorMessage, useListProjectsInfiniteQuery, useUpdateDocumentMutation } from "@devflow/web-data-access";
import { Alert, Button, Dialog, SelectField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";

export interface MoveDocumentDialogProps {
  organizationId: string;
  document: DocumentSummaryDto;
  isOpen: boolean;
  onClose: () => void;
}

export function MoveDocumentDialog({ isOpen, onClose, ...form }: MoveDocumentDialogProps) {
  return (
    <Dialog
      isOpen={isOpen}
      title="Move document"
      description={`Move “${form.document.title}” to another project of this organization.`}
      onClose={onClose}
      testId="move-document-dialog"
    >
      <MoveDocumentForm {...form} onDone={onClose} />
    </Dialog>
  );
}

function MoveDocumentForm({
  organizationId,
  document,
  onDone,
}: Omit<MoveDocumentDialogProps, "isOpen" | "onClose"> & { onDone: () => void }) {
  const projects = useListProjectsInfiniteQuery({ organizationId });
  const targets = (projects.data?.pages.flatMap((page) => page.items) ?? []).filter((p) => p.id !== document.projectId);
  const [targetId, setTargetId] = useState<string>("");
  const [updateDocument, { isLoading, error }] = useUpdateDocumentMutation();
  const chosen = targetId || targets[0]?.id || "";

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!chosen) return;
    const result = await updateDocument({
      organizationId,
      documentId: document.id,
      projectId: document.projectId,
      input: { projectId: chosen },
    });
    if (!result.error) onDone();
  }

  return (
    <form className="form-stack" onSubmit={submit} noValidate>
      {projects.data && targets.length === 0 ? (
        <Alert tone="info">There is no other project to move it to. Create another project first.</Alert>
      ) : (
        <SelectField
          label="Destination project"
          name="projectId"
          value={chosen}
          disabled={!projects.data}
          options={targets.map((p) => ({ value: p.id, label: `${p.name} (${p.key})` }))}
          onChange={(event) => setTargetId(event.target.value)}
        />
      )}
      {projects.hasNextPage && (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => projects.fetchNextPage()}
          isLoading={projects.isFetchingNextPage}
        >
          Show more projects
        </Button>
      )}
      {error !== undefined && <Alert>{errorMessage(error)}</Alert>}
      <div className="ui-dialog__footer">
        <Button onClick={onDone} disabled={isLoading}>
          Cancel
        </Button>
        <Button type="submit" variant="primary" isLoading={isLoading} disabled={!chosen}>
          Move
        </Button>
      </div>
    </form>
  );
}
