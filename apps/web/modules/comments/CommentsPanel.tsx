"use client";

import type { CommentThreadDto } from "@devflow/contracts";
import {
  useListMembersInfiniteQuery,
  type CommentsClient,
  type CommentsState,
  type CommentWriteResult,
} from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useMemo, useState } from "react";
import { CommentComposer } from "./CommentComposer";
import { CommentThreadCard } from "./CommentThreadCard";
import type { MentionCandidate } from "./mentions";
import "./comments.css";

/** A thread's place in this editor, after every edit since the server reported it. */
export interface ThreadPlace {
  from: number;
  isOutdated: boolean;
}

export interface CommentsPanelProps {
  organizationId: string;
  currentUserId: string;
  client: CommentsClient;
  state: CommentsState;
  places: ReadonlyMap<string, ThreadPlace>;
  activeThreadId: string | null;
  canComment: boolean;
  canModerate: boolean;
  /** The text a new comment is about, while one is being written. */
  draftQuote: string | null;
  onStartDraft: () => void;
  onSubmitDraft: (body: string, mentions: string[]) => Promise<CommentWriteResult>;
  onCancelDraft: () => void;
  onSelectThread: (threadId: string) => void;
}

/**
 * The document's comments beside the editor: open threads in document order, then outdated ones
 * (their text was deleted) and resolved ones, each with its quoted text; a composer for a comment
 * on the selection; live as others comment.
 */
export function CommentsPanel(props: CommentsPanelProps) {
  const { organizationId, state, places, client, draftQuote } = props;
  const [showResolved, setShowResolved] = useState(false);
  const members = useListMembersInfiniteQuery({ organizationId, limit: 100 });
  const candidates = useMemo<MentionCandidate[]>(
    () =>
      (members.data?.pages ?? [])
        .flatMap((page) => page.items)
        .map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email })),
    [members.data],
  );

  const { open, outdated, resolved } = useMemo(() => groupThreads(state.threads, places), [state.threads, places]);

  const card = (thread: CommentThreadDto, isOutdated: boolean) => (
    <CommentThreadCard
      key={thread.id}
      thread={thread}
      isOutdated={isOutdated}
      isActive={props.activeThreadId === thread.id}
      currentUserId={props.currentUserId}
      canComment={props.canComment}
      canModerate={props.canModerate}
      candidates={candidates}
      client={client}
      onSelect={() => props.onSelectThread(thread.id)}
    />
  );

  return (
    <aside className="panel comments-panel" data-testid="comments-panel" aria-label="Comments">
      <div className="comments-panel__header">
        <h2>Comments</h2>
        <span className="comment-spacer" />
        {props.canComment && draftQuote === null && (
          <Button size="sm" onClick={props.onStartDraft} data-testid="comment-on-selection" title="Mod-Alt-M">
            Comment on selection
          </Button>
        )}
      </div>

      {draftQuote !== null && (
        <div className="comment-draft" data-testid="comment-draft">
          <q className="comment-thread__quote">{draftQuote}</q>
          <CommentComposer
            candidates={candidates}
            submitLabel="Comment"
            autoFocus
            onSubmit={props.onSubmitDraft}
            onCancel={props.onCancelDraft}
          />
        </div>
      )}

      {state.status === "unavailable" && (
        <Alert
          tone="info"
          title="Comments are unavailable right now"
          action={
            <Button size="sm" onClick={() => client.reload()}>
              Retry
            </Button>
          }
        >
          {state.error ?? "The live editing service could not be reached."}
        </Alert>
      )}
      {state.status === "loading" && <SkeletonList rows={3} />}
      {state.status === "ready" && state.threads.length === 0 && draftQuote === null && (
        <EmptyState
          title="No comments yet"
          description="Select some text and press Comment on selection (Mod-Alt-M) to start a discussion."
          testId="comments-empty"
        />
      )}

      {open.length > 0 && (
        <ul className="comment-list" data-testid="open-threads">
          {open.map((thread) => card(thread, false))}
        </ul>
      )}
      {outdated.length > 0 && (
        <section>
          <h3>Outdated</h3>
          <p className="comment-muted">The text these threads were about has been deleted.</p>
          <ul className="comment-list" data-testid="outdated-threads">
            {outdated.map((thread) => card(thread, true))}
          </ul>
        </section>
      )}
      {resolved.length > 0 && (
        <section>
          <Button
            size="sm"
            variant="ghost"
            onClick={() => setShowResolved(!showResolved)}
            data-testid="toggle-resolved"
          >
            {showResolved ? "Hide" : "Show"} {resolved.length} resolved
          </Button>
          {showResolved && (
            <ul className="comment-list" data-testid="resolved-threads">
              {resolved.map((thread) => card(thread, places.get(thread.id)?.isOutdated ?? thread.isOutdated))}
            </ul>
          )}
        </section>
      )}
    </aside>
  );
}

/** Open threads by where they are in this editor's text; outdated and resolved ones apart. */
function groupThreads(threads: readonly CommentThreadDto[], places: ReadonlyMap<string, ThreadPlace>) {
  const at = (thread: CommentThreadDto) => places.get(thread.id)?.from ?? thread.anchor.from;
  const isOutdated = (thread: CommentThreadDto) => places.get(thread.id)?.isOutdated ?? thread.isOutdated;
  const byPlace = (a: CommentThreadDto, b: CommentThreadDto) => at(a) - at(b) || a.createdAt.localeCompare(b.createdAt);
  const resolved = threads.filter((t) => t.status === "resolved").sort(byPlace);
  const active = threads.filter((t) => t.status === "open");
  return {
    open: active.filter((t) => !isOutdated(t)).sort(byPlace),
    outdated: active.filter(isOutdated).sort(byPlace),
    resolved,
  };
}
