"use client";

import type { RevisionDto, TimelineEntryDto } from "@devflow/contracts";
import {
  errorMessage,
  useCreateRevisionMutation,
  useDeleteRevisionMutation,
  useGetDocumentDiffQuery,
  useListRevisionsQuery,
  useListTimelineInfiniteQuery,
  type RestoreResult,
} from "@devflow/web-data-access";
import { Alert, Button, ConfirmDialog, TextField } from "@devflow/web-ui";
import { useState, type FormEvent } from "react";
import { DiffView, type DiffLayout } from "./DiffView";
import "./history.css";

export interface HistoryPanelProps {
  organizationId: string;
  documentId: string;
  /** The live session's version; null until it has joined. */
  currentVersion: number | null;
  canEdit: boolean;
  canDeleteRevisions: boolean;
  /** Restores through the live session, so everyone connected sees it. */
  onRestore: (version: number) => Promise<RestoreResult>;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function when(iso: string): string {
  return timeFormat.format(new Date(iso));
}

/**
 * The document's history beside the editor: who changed what, named versions, a diff between
 * any two selected versions, and restoring a version as a new edit everyone connected sees.
 */
export function HistoryPanel({
  organizationId,
  documentId,
  currentVersion,
  canEdit,
  canDeleteRevisions,
  onRestore,
}: HistoryPanelProps) {
  const scope = { organizationId, documentId };
  const timeline = useListTimelineInfiniteQuery({ ...scope, limit: 25 }, { refetchOnMountOrArgChange: true });
  const revisions = useListRevisionsQuery(scope, { refetchOnMountOrArgChange: true });
  const [createRevision, creating] = useCreateRevisionMutation();
  const [deleteRevision] = useDeleteRevisionMutation();
  const [selected, setSelected] = useState<number[]>([]);
  const [layout, setLayout] = useState<DiffLayout>("unified");
  const [isNaming, setIsNaming] = useState(false);
  const [name, setName] = useState("");
  const [restoreTarget, setRestoreTarget] = useState<number | null>(null);
  const [isRestoring, setIsRestoring] = useState(false);
  const [restoreError, setRestoreError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const [from, to] = selected.length === 2 ? [Math.min(...selected), Math.max(...selected)] : [null, null];
  const diff = useGetDocumentDiffQuery(
    { ...scope, from: from ?? 0, to: to ?? 0 },
    { skip: from === null || to === null },
  );

  const toggle = (version: number) => {
    setSelected((current) =>
      current.includes(version) ? current.filter((v) => v !== version) : [...current.slice(-1), version],
    );
  };

  const refresh = () => {
    void timeline.refetch();
    void revisions.refetch();
  };

  const nameVersion = async (event: FormEvent) => {
    event.preventDefault();
    if (currentVersion === null) return;
    const result = await createRevision({ ...scope, input: { name, version: currentVersion } });
    if (!("error" in result)) {
      setName("");
      setIsNaming(false);
    }
  };

  const confirmRestore = async () => {
    if (restoreTarget === null) return;
    setIsRestoring(true);
    setRestoreError(null);
    const result = await onRestore(restoreTarget);
    setIsRestoring(false);
    if (!result.ok) {
      setRestoreError(result.message);
      return;
    }
    setNotice(
      result.opCount === 0
        ? `The text already was the one of v${result.restoredVersion}.`
        : `Restored v${result.restoredVersion}; the document is now at v${result.version}.`,
    );
    setRestoreTarget(null);
    setSelected([]);
    refresh();
  };

  const entries = timeline.data?.pages.flatMap((page) => page.items) ?? [];
  const selectButton = (version: number) => (
    <Button
      size="sm"
      variant="ghost"
      aria-pressed={selected.includes(version)}
      onClick={() => toggle(version)}
      data-testid="history-select"
      data-version={version}
    >
      {selected.includes(version) ? "Selected" : "Compare"}
    </Button>
  );
  const restoreButton = (version: number) =>
    canEdit && version !== currentVersion ? (
      <Button
        size="sm"
        variant="ghost"
        onClick={() => {
          setRestoreError(null);
          setRestoreTarget(version);
        }}
        data-testid="history-restore"
        data-version={version}
      >
        Restore this version
      </Button>
    ) : null;

  return (
    <aside className="panel history-panel" data-testid="history-panel" aria-label="Document history">
      <div className="history-panel__header">
        <h2>History</h2>
        <span className="history-panel__spacer" />
        <Button size="sm" variant="ghost" onClick={refresh}>
          Refresh
        </Button>
        {canEdit && !isNaming && (
          <Button
            size="sm"
            onClick={() => setIsNaming(true)}
            disabled={currentVersion === null}
            data-testid="name-version"
          >
            Name this version
          </Button>
        )}
      </div>

      {notice && (
        <Alert
          tone="info"
          action={
            <Button size="sm" onClick={() => setNotice(null)}>
              Dismiss
            </Button>
          }
        >
          <span data-testid="restore-notice">{notice}</span>
        </Alert>
      )}

      {isNaming && (
        <form className="history-panel__row" onSubmit={nameVersion} data-testid="name-version-form">
          <TextField
            label={`Name for v${currentVersion ?? "…"}`}
            value={name}
            onChange={(event) => setName(event.target.value)}
            maxLength={200}
            required
            autoFocus
            data-testid="revision-name"
          />
          <Button type="submit" variant="primary" size="sm" isLoading={creating.isLoading} disabled={!name.trim()}>
            Save
          </Button>
          <Button size="sm" variant="ghost" onClick={() => setIsNaming(false)}>
            Cancel
          </Button>
          {creating.error !== undefined && <p role="alert">{errorMessage(creating.error)}</p>}
        </form>
      )}

      <section>
        <h3>Named versions</h3>
        {revisions.error !== undefined && <p role="alert">{errorMessage(revisions.error)}</p>}
        {revisions.data?.items.length === 0 && <p className="history-item__meta">No named versions yet.</p>}
        <ul className="history-list">
          {revisions.data?.items.map((revision: RevisionDto) => (
            <li
              key={revision.id}
              className={`history-item${selected.includes(revision.version) ? " history-item--selected" : ""}`}
              data-testid="revision-item"
            >
              <strong>{revision.name}</strong>
              <span className="history-item__meta">
                v{revision.version} · {revision.createdBy?.name ?? "Someone"} · {when(revision.createdAt)}
              </span>
              <span className="history-panel__spacer" />
              {selectButton(revision.version)}
              {restoreButton(revision.version)}
              {canDeleteRevisions && (
                <Button
                  size="sm"
                  variant="ghost"
                  aria-label={`Delete the name ${revision.name}`}
                  onClick={() => void deleteRevision({ ...scope, revisionId: revision.id })}
                >
                  Delete
                </Button>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section>
        <h3>Changes</h3>
        {timeline.error !== undefined && <p role="alert">{errorMessage(timeline.error)}</p>}
        <ul className="history-list">
          {currentVersion !== null && (
            <li
              className={`history-item${selected.includes(currentVersion) ? " history-item--selected" : ""}`}
              data-testid="history-current"
            >
              <strong>Current</strong>
              <span className="history-item__meta">v{currentVersion}</span>
              <span className="history-panel__spacer" />
              {selectButton(currentVersion)}
            </li>
          )}
          {entries.map((entry: TimelineEntryDto) => (
            <li
              key={entry.fromVersion}
              className={`history-item${selected.includes(entry.toVersion) ? " history-item--selected" : ""}`}
              data-testid="history-entry"
            >
              <strong>{entry.user?.name ?? "Someone"}</strong>
              <span className="history-item__meta">
                {entry.fromVersion === entry.toVersion
                  ? `v${entry.toVersion}`
                  : `v${entry.fromVersion}–v${entry.toVersion}`}{" "}
                · {when(entry.startedAt)} · <span className="history-diff__ins">+{entry.charsInserted}</span>{" "}
                <span className="history-diff__del">−{entry.charsDeleted}</span>
              </span>
              <span className="history-panel__spacer" />
              {selectButton(entry.toVersion)}
              {restoreButton(entry.toVersion)}
            </li>
          ))}
          <li className="history-item" data-testid="history-created">
            <strong>Created</strong>
            <span className="history-item__meta">v0</span>
            <span className="history-panel__spacer" />
            {selectButton(0)}
            {restoreButton(0)}
          </li>
        </ul>
        {timeline.hasNextPage && (
          <Button
            size="sm"
            variant="ghost"
            onClick={() => void timeline.fetchNextPage()}
            isLoading={timeline.isFetchingNextPage}
          >
            Older changes
          </Button>
        )}
      </section>

      <section>
        <div className="history-panel__row">
          <h3>Compare</h3>
          <span className="history-panel__spacer" />
          <Button
            size="sm"
            variant="ghost"
            aria-pressed={layout === "split"}
            onClick={() => setLayout(layout === "unified" ? "split" : "unified")}
            data-testid="diff-layout"
          >
            {layout === "unified" ? "Side by side" : "Unified"}
          </Button>
        </div>
        {selected.length < 2 && <p className="history-item__meta">Select two versions to see what changed.</p>}
        {diff.error !== undefined && <p role="alert">{errorMessage(diff.error)}</p>}
        {selected.length === 2 && diff.data && <DiffView diff={diff.data} layout={layout} />}
      </section>

      <ConfirmDialog
        isOpen={restoreTarget !== null}
        title={`Restore v${restoreTarget ?? ""}?`}
        message="The document's text goes back to this version as a new change that everyone editing sees at once. Nothing is lost: the current text stays in the history."
        confirmLabel="Restore this version"
        isBusy={isRestoring}
        error={restoreError}
        onConfirm={() => void confirmRestore()}
        onCancel={() => setRestoreTarget(null)}
      />
    </aside>
  );
}
