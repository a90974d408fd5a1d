"use client";

import {
  DOCUMENT_KIND_LABELS,
  DOCUMENT_TITLE_MAX,
  type DocumentSummaryDto,
  type MyOrganizationDto,
} from "@devflow/contracts";
import { errorMessage, useDeleteDocumentMutation, useUpdateDocumentMutation } from "@devflow/web-data-access";
import {
  Alert,
  ConfirmDialog,
  InlineEdit,
  KindBadge,
  Menu,
  MenuItem,
  MenuSeparator,
  StatusBadge,
} from "@devflow/web-ui";
import Link from "next/link";
import { useState } from "react";
import { timeAgo } from "../common/format";
import { DocumentIcon, MoreIcon } from "../common/icons";
import { DOCUMENT_STATUS_LABELS } from "./labels";
import { MoveDocumentDialog } from "./MoveDocumentDialog";
import { SaveAsTemplateDialog } from "./SaveAsTemplateDialog";

export interface DocumentRowProps {
  document: DocumentSummaryDto;
  organization: MyOrganizationDto;
  /** Viewers see the row without its actions. */
  canWrite: boolean;
}

/** One document in a project's list, with rename (inline), move, save as template, archive/unarchive and delete. */
export function DocumentRow({ document, organization, canWrite }: DocumentRowProps) {
  const [isRenaming, setIsRenaming] = useState(false);
  const [isMoving, setIsMoving] = useState(false);
  const [isSavingTemplate, setIsSavingTemplate] = useState(false);
  const [isConfirmingDelete, setIsConfirmingDelete] = useState(false);
  const [updateDocument, update] = useUpdateDocumentMutation();
  const [deleteDocument, removal] = useDeleteDocumentMutation();
  const scope = { organizationId: organization.id, documentId: document.id, projectId: document.projectId };
  const isArchived = document.archivedAt !== null;

  async function remove() {
    const result = await deleteDocument(scope);
    if (!result.error) setIsConfirmingDelete(false);
  }

  return (
    <li
      className={update.isLoading ? "document-row document-row--busy" : "document-row"}
      data-testid="document-row"
      data-document-id={document.id}
    >
      <div className="document-row__main">
        <DocumentIcon className="document-row__icon" />
        {isRenaming ? (
          <InlineEdit
            value={document.title}
            label="Document title"
            maxLength={DOCUMENT_TITLE_MAX}
            testId="rename-input"
            onSubmit={(title) => {
              setIsRenaming(false);
              void updateDocument({ ...scope, input: { title } });
            }}
            onCancel={() => setIsRenaming(false)}
          />
        ) : (
          <Link
            href={`/${organization.slug}/documents/${document.id}`}
            className="document-row__title"
            data-testid="document-title"
          >
            {document.title}
          </Link>
        )}
      </div>
      <span className="document-row__badges">
        <KindBadge kind={document.kind}>{DOCUMENT_KIND_LABELS[document.kind]}</KindBadge>{" "}
        <StatusBadge status={document.status}>{DOCUMENT_STATUS_LABELS[document.status]}</StatusBadge>
      </span>
      <span className="document-row__meta">
        <time dateTime={document.updatedAt}>Updated {timeAgo(document.updatedAt)}</time>
      </span>
      {canWrite ? (
        <Menu
          label={`Actions for ${document.title}`}
          align="end"
          testId="document-actions"
          triggerClassName="icon-button"
          trigger={<MoreIcon />}
        >
          <MenuItem testId="rename-document" onSelect={() => setIsRenaming(true)}>
            Rename
          </MenuItem>
          <MenuItem testId="move-document" onSelect={() => setIsMoving(true)}>
            Move to another project…
          </MenuItem>
          <MenuItem testId="save-as-template" onSelect={() => setIsSavingTemplate(true)}>
            Save as template…
          </MenuItem>
          <MenuItem
            testId={isArchived ? "unarchive-document" : "archive-document"}
            onSelect={() => void updateDocument({ ...scope, input: { archived: !isArchived } })}
          >
            {isArchived ? "Unarchive" : "Archive"}
          </MenuItem>
          <MenuSeparator />
          <MenuItem testId="delete-document" onSelect={() => setIsConfirmingDelete(true)}>
            Delete…
          </MenuItem>
        </Menu>
      ) : (
        <span />
      )}
      {update.error !== undefined && (
        <div className="document-row__error">
          <Alert>{errorMessage(update.error)}</Alert>
        </div>
      )}

      {isMoving && (
        <MoveDocumentDialog
          organizationId={organization.id}
          document={document}
          isOpen={isMoving}
          onClose={() => setIsMoving(false)}
        />
      )}
      {isSavingTemplate && (
        <SaveAsTemplateDialog
          organizationId={organization.id}
          document={document}
          isOpen={isSavingTemplate}
          onClose={() => setIsSavingTemplate(false)}
        />
      )}
      <ConfirmDialog
        isOpen={isConfirmingDelete}
        title="Delete document?"
        message={`“${document.title}” and its history will be deleted for everyone. This cannot be undone.`}
        confirmLabel="Delete document"
        isDestructive
        isBusy={removal.isLoading}
        error={removal.error !== undefined ? errorMessage(removal.error) : null}
        onConfirm={() => void remove()}
        onCancel={() => {
          setIsConfirmingDelete(false);
          removal.reset();
        }}
      />
    </li>
  );
}
