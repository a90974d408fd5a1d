"use client";

import { useEffect, useState } from "react";
import Link from "next/link";
import { AssistantChat } from "./AssistantChat";
import { isAssistantShortcut } from "./assistant-shortcut";
import { useAssistantClient } from "./use-assistant-client";

export interface AssistantPanelProps {
  /** Where the ai service is (`AI_PUBLIC_URL`). */
  aiUrl: string;
  organizationId: string;
  orgSlug: string;
  projectId?: string;
  /** The document open on this page: answers read it first and proposals apply to its editor. */
  documentId?: string;
}

/**
 * The assistant beside a document or project: a button and Cmd/Ctrl+J open a side panel with one
 * conversation; Escape closes it. The conversation lives while the page does; the full page
 * (`/<org>/assistant`) keeps the history.
 */
export function AssistantPanel({ aiUrl, organizationId, orgSlug, projectId, documentId }: AssistantPanelProps) {
  const client = useAssistantClient(aiUrl, organizationId);
  const [isOpen, setIsOpen] = useState(false);
  const [conversationId, setConversationId] = useState<string | null>(null);
  const [isMac, setIsMac] = useState(false);

  useEffect(() => {
    setIsMac(/Mac|iPhone|iPad/.test(navigator.platform));
    const onKeyDown = (event: KeyboardEvent) => {
      if (isAssistantShortcut(event)) {
        // Capture phase, so the editor cannot swallow it (Ctrl+J means nothing there).
        event.preventDefault();
        event.stopPropagation();
        setIsOpen((open) => !open);
      }
    };
    window.addEventListener("keydown", onKeyDown, { capture: true });
    return () => window.removeEventListener("keydown", onKeyDown, { capture: true });
  }, []);

  return (
    <>
      <button
        type="button"
        className="assistant-toggle"
        onClick={() => setIsOpen((open) => !open)}
        aria-expanded={isOpen}
        aria-controls="assistant-panel"
        aria-keyshortcuts="Meta+J Control+J"
        data-testid="assistant-toggle"
      >
        <span aria-hidden>✦</span> Assistant <kbd className="assistant-toggle__kbd">{isMac ? "⌘J" : "Ctrl J"}</kbd>
      </button>
      {isOpen && (
        <aside
          id="assistant-panel"
          className="assistant-panel"
          aria-label="Assistant"
          data-testid="assistant-panel"
          onKeyDown={(event) => {
            if (event.key === "Escape") setIsOpen(false);
          }}
        >
          <header className="assistant-panel__header">
            <h2 className="assistant-panel__title">Assistant</h2>
            <div className="assistant-panel__tools">
              <button type="button" className="assistant-panel__link" onClick={() => setConversationId(null)}>
                New
              </button>
              <Link
                className="assistant-panel__link"
                href={`/${orgSlug}/assistant${conversationId ? `?c=${conversationId}` : ""}`}
              >
                History
              </Link>
              <button
                type="button"
                className="assistant-panel__close"
                onClick={() => setIsOpen(false)}
                aria-label="Close the assistant"
              >
                ×
              </button>
            </div>
          </header>
          <AssistantChat
            client={client}
            orgSlug={orgSlug}
            conversationId={conversationId}
            {...(projectId && { projectId })}
            {...(documentId && { documentId })}
            onConversationChanged={(c) => setConversationId(c.id)}
            autoFocus
          />
        </aside>
      )}
    </>
  );
}
