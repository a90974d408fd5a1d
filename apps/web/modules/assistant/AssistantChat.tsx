"use client";

import { CHAT_MESSAGE_MAX, type AskContext, type AssistantStatusDto, type ConversationDto } from "@devflow/contracts";
import { Alert, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import type { AssistantClient } from "./assistant-client";
import { AssistantMessage } from "./AssistantMessage";
import { findOpenEditor, selectionOf } from "./open-editor";
import { useAssistantChat } from "./use-assistant-chat";
import "./assistant.css";

export interface AssistantChatProps {
  client: AssistantClient;
  orgSlug: string;
  conversationId: string | null;
  /** The project and document the person is looking at: what answers look at first. */
  projectId?: string;
  documentId?: string;
  onConversationChanged?: (conversation: Pick<ConversationDto, "id" | "title">) => void;
  autoFocus?: boolean;
}

const REASK =
  "The document changed since your proposal, so it no longer applies. Please read the current text and propose the edit again.";

/** A conversation with the assistant: the honest model banner, the messages as they stream, and the composer. */
export function AssistantChat({
  client,
  orgSlug,
  conversationId,
  projectId,
  documentId,
  onConversationChanged,
  autoFocus = false,
}: AssistantChatProps) {
  const status = useAssistantStatus(client);
  const chat = useAssistantChat({
    client,
    conversationId,
    origin: { ...(projectId && { projectId }), ...(documentId && { documentId }) },
    ...(onConversationChanged && { onConversationChanged }),
  });
  const [draft, setDraft] = useState("");
  const inputRef = useRef<HTMLTextAreaElement>(null);
  const endRef = useRef<HTMLDivElement>(null);
  const lastContent = chat.messages.at(-1)?.content;

  useEffect(() => {
    if (autoFocus) inputRef.current?.focus();
  }, [autoFocus, conversationId]);
  useEffect(() => {
    endRef.current?.scrollIntoView?.({ block: "end" });
  }, [chat.messages.length, lastContent]);

  const contextNow = (): AskContext | undefined => {
    const view = findOpenEditor(documentId);
    const context: AskContext = {
      ...(projectId && { projectId }),
      ...(documentId && { documentId }),
      ...(view && { selection: selectionOf(view) }),
    };
    return Object.keys(context).length ? context : undefined;
  };

  const send = (content: string) => {
    const text = content.trim();
    if (!text || chat.isAnswering) return;
    setDraft("");
    void chat.ask(text, contextNow());
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    send(draft);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send(draft);
    }
  };

  return (
    <section className="assistant-chat" aria-label="Assistant conversation">
      {status && !status.generative && (
        <Alert tone="info">No language model is configured: answers quote your documents.</Alert>
      )}
      <div
        className="assistant-chat__log"
        role="log"
        aria-live="polite"
        aria-busy={chat.isAnswering}
        data-testid="assistant-log"
      >
        {chat.isLoading && <SkeletonList rows={3} />}
        {chat.loadError && <Alert tone="error">{chat.loadError}</Alert>}
        {!chat.isLoading && !chat.loadError && chat.messages.length === 0 && (
          <EmptyState
            title="Ask about your team's docs"
            description={
              documentId
                ? "Questions about this document, your selection in it, or anything else in the workspace. Answers cite their sources."
                : "Answers come from the documents you can read, with links to the passages they cite."
            }
          />
        )}
        {chat.messages.map((message) => (
          <AssistantMessage
            key={message.id}
            message={message}
            client={client}
            orgSlug={orgSlug}
            {...(documentId && { openDocumentId: documentId })}
            onReask={() => send(REASK)}
          />
        ))}
        <div ref={endRef} />
      </div>
      <form className="assistant-chat__composer" onSubmit={onSubmit}>
        <textarea
          aria-label="Ask the assistant"
          ref={inputRef}
          className="assistant-chat__input"
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder={documentId ? "Ask about this document…" : "Ask about your workspace…"}
          maxLength={CHAT_MESSAGE_MAX}
          rows={2}
          data-testid="assistant-input"
        />
        <div className="assistant-chat__actions">
          <span className="assistant-chat__hint">
            {draft.length > CHAT_MESSAGE_MAX * 0.9
              ? `${draft.length} / ${CHAT_MESSAGE_MAX}`
              : "Enter to send, Shift+Enter for a new line"}
          </span>
          {chat.isAnswering ? (
            <Button onClick={chat.stop} data-testid="assistant-stop">
              Stop
            </Button>
          ) : (
            <Button type="submit" variant="primary" disabled={!draft.trim()} data-testid="assistant-send">
              Ask
            </Button>
          )}
        </div>
      </form>
    </section>
  );
}

/** Which model answers; null until known (or when the assistant cannot be reached: the chat says so itself). */
function useAssistantStatus(client: AssistantClient): AssistantStatusDto | null {
  const [status, setStatus] = useState<AssistantStatusDto | null>(null);
  useEffect(() => {
    let isCurrent = true;
    client.status().then(
      (s) => isCurrent && setStatus(s),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client]);
  return status;
}
