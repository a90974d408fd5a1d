"use client";

import { COMMENT_BODY_MAX } from "@devflow/contracts";
import type { CommentWriteResult } from "@devflow/web-data-access";
import { Button } from "@devflow/web-ui";
import { useId, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { insertMention, matchMentions, mentionedIds, mentionQueryAt, type MentionCandidate } from "./mentions";

export interface CommentComposerProps {
  /** People who can be @mentioned. */
  candidates: readonly MentionCandidate[];
  submitLabel: string;
  placeholder?: string;
  initialBody?: string;
  /** People already mentioned in `initialBody` (when editing). */
  initialMentions?: readonly { id: string; name: string }[];
  autoFocus?: boolean;
  onSubmit: (body: string, mentions: string[]) => Promise<CommentWriteResult>;
  onCancel?: () => void;
  testId?: string;
}

/**
 * A comment's text box: `@` opens a list of members to mention (arrows and Enter pick one),
 * Mod-Enter sends, Escape cancels. Errors from the server are shown under the box and the text is
 * kept, so nothing typed is lost.
 */
export function CommentComposer({
  candidates,
  submitLabel,
  placeholder = "Comment, @ to mention",
  initialBody = "",
  initialMentions = [],
  autoFocus = false,
  onSubmit,
  onCancel,
  testId = "comment-composer",
}: CommentComposerProps) {
  const listId = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const [body, setBody] = useState(initialBody);
  const [picked, setPicked] = useState<{ id: string; name: string }[]>([...initialMentions]);
  const [query, setQuery] = useState<{ start: number; query: string } | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const [isSending, setIsSending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const matches = query ? matchMentions(candidates, query.query) : [];

  const updateQuery = (text: string, caret: number) => {
    setQuery(mentionQueryAt(text, caret));
    setHighlighted(0);
  };

  const pick = (candidate: MentionCandidate) => {
    const textarea = textareaRef.current;
    if (!query || !textarea) return;
    const next = insertMention(body, query.start, textarea.selectionStart, candidate.name);
    setBody(next.text);
    setPicked((current) => [...current, { id: candidate.id, name: candidate.name }]);
    setQuery(null);
    requestAnimationFrame(() => {
      textarea.focus();
      textarea.setSelectionRange(next.caret, next.caret);
    });
  };

  const send = async (event?: FormEvent) => {
    event?.preventDefault();
    const text = body.trim();
    if (text === "" || isSending) return;
    setIsSending(true);
    setError(null);
    const result = await onSubmit(text, mentionedIds(text, picked));
    setIsSending(false);
    if (!result.ok) {
      setError(result.message);
      return;
    }
    setBody("");
    setPicked([]);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (matches.length > 0) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        setHighlighted((i) => (i + step + matches.length) % matches.length);
        return;
      }
      if (event.key === "Enter" || event.key === "Tab") {
        event.preventDefault();
        pick(matches[highlighted] ?? matches[0]!);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        setQuery(null);
        return;
      }
    }
    if (event.key === "Enter" && (event.metaKey || event.ctrlKey)) {
      event.preventDefault();
      void send();
    } else if (event.key === "Escape" && onCancel) {
      event.preventDefault();
      onCancel();
    }
  };

  return (
    <form className="comment-composer" onSubmit={send} data-testid={testId}>
      <textarea
        ref={textareaRef}
        className="ui-input ui-input--multiline comment-composer__input"
        value={body}
        placeholder={placeholder}
        aria-label={placeholder}
        maxLength={COMMENT_BODY_MAX}
        rows={2}
        autoFocus={autoFocus}
        role="combobox"
        aria-expanded={matches.length > 0}
        aria-controls={listId}
        aria-autocomplete="list"
        onChange={(event) => {
          setBody(event.target.value);
          updateQuery(event.target.value, event.target.selectionStart);
        }}
        onKeyDown={onKeyDown}
        onBlur={() => setTimeout(() => setQuery(null), 150)}
        data-testid={`${testId}-input`}
      />
      {matches.length > 0 && (
        <ul className="comment-mentions" id={listId} role="listbox" data-testid="mention-options">
          {matches.map((candidate, i) => (
            <li
              key={candidate.id}
              role="option"
              aria-selected={i === highlighted}
              className={`comment-mentions__option${i === highlighted ? " comment-mentions__option--active" : ""}`}
              onMouseDown={(event) => {
                event.preventDefault();
                pick(candidate);
              }}
            >
              <strong>{candidate.name}</strong> <span className="comment-muted">{candidate.email}</span>
            </li>
          ))}
        </ul>
      )}
      {error && (
        <p className="comment-error" role="alert" data-testid="comment-error">
          {error}
        </p>
      )}
      <div className="comment-composer__actions">
        {onCancel && (
          <Button size="sm" variant="ghost" onClick={onCancel}>
            Cancel
          </Button>
        )}
        <Button size="sm" variant="primary" type="submit" isLoading={isSending} disabled={body.trim() === ""}>
          {submitLabel}
        </Button>
      </div>
    </form>
  );
}
