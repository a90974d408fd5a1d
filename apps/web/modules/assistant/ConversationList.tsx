"use client";

import type { ConversationDto } from "@devflow/contracts";
import { Alert, Button, ConfirmDialog, SkeletonList } from "@devflow/web-ui";
import { useState } from "react";
import { formatDateTime } from "../common/format";

export interface ConversationListProps {
  items: readonly ConversationDto[];
  selectedId: string | null;
  isLoading: boolean;
  error: string | null;
  hasMore: boolean;
  onSelect: (id: string) => void;
  onNew: () => void;
  onLoadMore: () => void;
  onRename: (id: string, title: string) => Promise<void>;
  onDelete: (id: string) => Promise<void>;
}

/** The person's conversations, most recent first, with rename and delete. */
export function ConversationList(props: ConversationListProps) {
  const { items, selectedId, isLoading, error, hasMore } = props;
  const [renaming, setRenaming] = useState<{ id: string; title: string } | null>(null);
  const [deleting, setDeleting] = useState<ConversationDto | null>(null);
  const [isDeleting, setIsDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);

  const saveRename = async () => {
    if (!renaming) return;
    const title = renaming.title.trim();
    if (title) await props.onRename(renaming.id, title);
    setRenaming(null);
  };

  return (
    <nav className="conversation-list" aria-label="Conversations">
      <Button variant="primary" onClick={props.onNew} data-testid="assistant-new">
        New conversation
      </Button>
      {error && <Alert tone="error">{error}</Alert>}
      {isLoading && items.length === 0 && <SkeletonList rows={4} />}
      {!isLoading && !error && items.length === 0 && <p className="conversation-list__empty">No conversations yet.</p>}
      <ul className="conversation-list__items" data-testid="conversation-list">
        {items.map((c) => (
          <li key={c.id} className="conversation-list__item">
            {renaming?.id === c.id ? (
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  void saveRename();
                }}
              >
                <input
                  className="conversation-list__rename"
                  value={renaming.title}
                  maxLength={200}
                  aria-label="Conversation title"
                  autoFocus
                  onChange={(event) => setRenaming({ id: c.id, title: event.target.value })}
                  onBlur={() => void saveRename()}
                  onKeyDown={(event) => event.key === "Escape" && setRenaming(null)}
                />
              </form>
            ) : (
              <button
                type="button"
                className="conversation-list__open"
                aria-current={c.id === selectedId ? "page" : undefined}
                onClick={() => props.onSelect(c.id)}
              >
                <span className="conversation-list__title">{c.title}</span>
                <time className="conversation-list__time" dateTime={c.updatedAt}>
                  {formatDateTime(c.updatedAt)}
                </time>
              </button>
            )}
            <span className="conversation-list__actions">
              <button
                type="button"
                aria-label={`Rename ${c.title}`}
                onClick={() => setRenaming({ id: c.id, title: c.title })}
              >
                ✎
              </button>
              <button type="button" aria-label={`Delete ${c.title}`} onClick={() => setDeleting(c)}>
                🗑
              </button>
            </span>
          </li>
        ))}
      </ul>
      {hasMore && (
        <Button size="sm" variant="ghost" onClick={props.onLoadMore} isLoading={isLoading}>
          Show older conversations
        </Button>
      )}
      <ConfirmDialog
        isOpen={deleting !== null}
        title="Delete this conversation?"
        message={`“${deleting?.title ?? ""}” and its messages will be deleted. This cannot be undone.`}
        confirmLabel="Delete"
        isDestructive
        isBusy={isDeleting}
        error={deleteError}
        onConfirm={async () => {
          if (!deleting) return;
          setIsDeleting(true);
          setDeleteError(null);
          try {
            await props.onDelete(deleting.id);
            setDeleting(null);
          } catch (e) {
            setDeleteError(e instanceof Error ? e.message : "Could not delete the conversation.");
          } finally {
            setIsDeleting(false);
          }
        }}
        onCancel={() => setDeleting(null)}
      />
    </nav>
  );
}
