"use client";

import type { CommentDto, CommentThreadDto } from "@devflow/contracts";
import type { CommentsClient, CommentWriteResult } from "@devflow/web-data-access";
import { Badge, Button } from "@devflow/web-ui";
import { useState } from "react";
import { CommentComposer } from "./CommentComposer";
import { splitMentions, type MentionCandidate } from "./mentions";

export interface CommentThreadCardProps {
  thread: CommentThreadDto;
  /** Outdated here, even before the server says so: its text was deleted in this editor. */
  isOutdated: boolean;
  isActive: boolean;
  currentUserId: string;
  canComment: boolean;
  canModerate: boolean;
  candidates: readonly MentionCandidate[];
  client: CommentsClient;
  onSelect: () => void;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** One thread: the quoted text, its comments, a reply box, and resolve/reopen. */
export function CommentThreadCard({
  thread,
  isOutdated,
  isActive,
  currentUserId,
  canComment,
  canModerate,
  candidates,
  client,
  onSelect,
}: CommentThreadCardProps) {
  const [error, setError] = useState<string | null>(null);
  const [isReplying, setIsReplying] = useState(false);
  const isResolved = thread.status === "resolved";

  const run = async (action: () => Promise<CommentWriteResult>) => {
    setError(null);
    const result = await action();
    if (!result.ok) setError(result.message);
  };

  return (
    <li
      className={`comment-thread${isActive ? " comment-thread--active" : ""}${isResolved ? " comment-thread--resolved" : ""}`}
      data-testid="comment-thread"
      data-thread-id={thread.id}
      data-status={thread.status}
      data-outdated={isOutdated || undefined}
    >
      <button type="button" className="comment-thread__quote" onClick={onSelect} title="Show in the document">
        {isOutdated && <Badge tone="amber">Outdated</Badge>}
        {isResolved && <Badge tone="green">Resolved</Badge>}
        <q data-testid="comment-quote">{thread.quote}</q>
      </button>
      <ol className="comment-thread__comments">
        {thread.comments.map((comment) => (
          <CommentItem
            key={comment.id}
            comment={comment}
            isFirst={comment.id === thread.id}
            canEdit={canComment && comment.author?.id === currentUserId}
            canDelete={(canComment && comment.author?.id === currentUserId) || canModerate}
            candidates={candidates}
            client={client}
            onError={setError}
          />
        ))}
      </ol>
      {error && (
        <p className="comment-error" role="alert" data-testid="comment-error">
          {error}
        </p>
      )}
      {canComment && (
        <div className="comment-thread__actions">
          {!isResolved && !isReplying && (
            <Button size="sm" variant="ghost" onClick={() => setIsReplying(true)} data-testid="comment-reply">
              Reply
            </Button>
          )}
          <span className="comment-spacer" />
          {isResolved ? (
            <Button
              size="sm"
              variant="ghost"
              onClick={() => run(() => client.reopen(thread.id))}
              data-testid="comment-reopen"
            >
              Reopen
            </Button>
          ) : (
            <Button size="sm" onClick={() => run(() => client.resolve(thread.id))} data-testid="comment-resolve">
              Resolve
            </Button>
          )}
        </div>
      )}
      {isReplying && !isResolved && (
        <CommentComposer
          candidates={candidates}
          submitLabel="Reply"
          placeholder="Reply, @ to mention"
          autoFocus
          testId="comment-reply-composer"
          onCancel={() => setIsReplying(false)}
          onSubmit={async (body, mentions) => {
            const result = await client.reply(thread.id, body, mentions);
            if (result.ok) setIsReplying(false);
            return result;
          }}
        />
      )}
    </li>
  );
}

function CommentItem({
  comment,
  isFirst,
  canEdit,
  canDelete,
  candidates,
  client,
  onError,
}: {
  comment: CommentDto;
  isFirst: boolean;
  canEdit: boolean;
  canDelete: boolean;
  candidates: readonly MentionCandidate[];
  client: CommentsClient;
  onError: (message: string | null) => void;
}) {
  const [isEditing, setIsEditing] = useState(false);
  const remove = async () => {
    const what = isFirst ? "this thread and its replies" : "this reply";
    if (!window.confirm(`Delete ${what}?`)) return;
    onError(null);
    const result = await client.remove(comment.id);
    if (!result.ok) onError(result.message);
  };

  return (
    <li className="comment" data-testid="comment">
      <div className="comment__meta">
        <strong>{comment.author?.name ?? "Former member"}</strong>
        <time dateTime={comment.createdAt}>{timeFormat.format(new Date(comment.createdAt))}</time>
        {comment.editedAt && <span className="comment-muted">(edited)</span>}
        <span className="comment-spacer" />
        {canEdit && !isEditing && (
          <button type="button" className="comment-link" onClick={() => setIsEditing(true)}>
            Edit
          </button>
        )}
        {canDelete && (
          <button type="button" className="comment-link" onClick={() => void remove()} data-testid="comment-delete">
            Delete
          </button>
        )}
      </div>
      {isEditing ? (
        <CommentComposer
          candidates={candidates}
          submitLabel="Save"
          initialBody={comment.body}
          initialMentions={comment.mentions}
          autoFocus
          testId="comment-edit-composer"
          onCancel={() => setIsEditing(false)}
          onSubmit={async (body, mentions) => {
            const result = await client.update(comment.id, body, mentions);
            if (result.ok) setIsEditing(false);
            return result;
          }}
        />
      ) : (
        <p className="comment__body" data-testid="comment-body">
          {splitMentions(
            comment.body,
            comment.mentions.map((m) => m.name),
          ).map((part, i) =>
            part.isMention ? (
              <span key={i} className="comment-mention" data-testid="comment-mention">
                {part.text}
              </span>
            ) : (
              <span key={i}>{part.text}</span>
            ),
          )}
        </p>
      )}
    </li>
  );
}
