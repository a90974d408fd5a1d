"use client";

import type { AskContext, ChatMessageDto, ConversationDto, ToolActivityDto } from "@devflow/contracts";
import { useCallback, useEffect, useRef, useState } from "react";
import { AssistantApiError, type AssistantClient } from "./assistant-client";

/** A message as the conversation view shows it: stored, or the answer still arriving. */
export interface ChatEntry extends ChatMessageDto {
  isStreaming?: boolean;
  /** Why the answer stopped short, if it did. */
  error?: string;
}

export interface AssistantChatState {
  conversation: Pick<ConversationDto, "id" | "title"> | null;
  messages: ChatEntry[];
  isLoading: boolean;
  loadError: string | null;
  isAnswering: boolean;
}

export interface UseAssistantChatOptions {
  client: AssistantClient;
  /** The conversation to open; null starts a new one (created on the first question). */
  conversationId: string | null;
  /** Where a new conversation was started from. */
  origin?: { projectId?: string; documentId?: string };
  /** Told when a conversation is created or its title changes, so lists can refresh. */
  onConversationChanged?: (conversation: Pick<ConversationDto, "id" | "title">) => void;
}

const PENDING_ID = "00000000-0000-4000-8000-000000000000";

/**
 * One conversation: loading it, asking (the answer streams in as deltas, tool activity and
 * citations), stopping an answer, and the errors along the way in words a person can act on.
 */
export function useAssistantChat({ client, conversationId, origin, onConversationChanged }: UseAssistantChatOptions) {
  const [state, setState] = useState<AssistantChatState>({
    conversation: null,
    messages: [],
    isLoading: conversationId !== null,
    loadError: null,
    isAnswering: false,
  });
  const abortRef = useRef<AbortController | null>(null);
  const changedRef = useRef(onConversationChanged);
  changedRef.current = onConversationChanged;
  // The id a send just created: loading it again would wipe the answer that is streaming in.
  const createdRef = useRef<string | null>(null);

  useEffect(() => {
    if (conversationId !== null && conversationId === createdRef.current) return;
    abortRef.current?.abort();
    if (conversationId === null) {
      setState({ conversation: null, messages: [], isLoading: false, loadError: null, isAnswering: false });
      return;
    }
    let isCurrent = true;
    setState((s) => ({ ...s, isLoading: true, loadError: null }));
    client.getConversation(conversationId).then(
      (detail) => {
        if (!isCurrent) return;
        setState({
          conversation: { id: detail.id, title: detail.title },
          messages: detail.messages,
          isLoading: false,
          loadError: null,
          isAnswering: false,
        });
      },
      (error: unknown) => {
        if (!isCurrent) return;
        setState((s) => ({ ...s, isLoading: false, loadError: messageOf(error) }));
      },
    );
    return () => {
      isCurrent = false;
    };
  }, [client, conversationId]);

  useEffect(() => () => abortRef.current?.abort(), []);

  const updateAnswer = (fn: (entry: ChatEntry) => ChatEntry) =>
    setState((s) => ({
      ...s,
      messages: s.messages.map((m) => (m.isStreaming ? fn(m) : m)),
    }));

  const ask = useCallback(
    async (content: string, context?: AskContext) => {
      const controller = new AbortController();
      abortRef.current = controller;
      const now = new Date().toISOString();
      const question: ChatEntry = { ...blank("user", now), id: `${PENDING_ID}-q`, content };
      const answer: ChatEntry = { ...blank("assistant", now), id: `${PENDING_ID}-a`, isStreaming: true };
      setState((s) => ({ ...s, isAnswering: true, messages: [...s.messages, question, answer] }));
      try {
        let conversation = state.conversation;
        if (!conversation) {
          const created = await client.createConversation({
            ...(origin?.projectId && { projectId: origin.projectId }),
            ...(origin?.documentId && { documentId: origin.documentId }),
          });
          conversation = { id: created.id, title: created.title };
          createdRef.current = created.id;
          setState((s) => ({ ...s, conversation }));
          changedRef.current?.(conversation);
        }
        for await (const event of client.ask(
          conversation.id,
          { content, ...(context && { context }) },
          controller.signal,
        )) {
          switch (event.event) {
            case "delta":
              updateAnswer((m) => ({ ...m, content: m.content + event.data.text }));
              break;
            case "tool":
              updateAnswer((m) => ({ ...m, tools: upsertTool(m.tools, event.data) }));
              break;
            case "citations":
              updateAnswer((m) => ({ ...m, citations: event.data.citations }));
              break;
            case "done": {
              const { messageId, userMessageId, model, title } = event.data;
              setState((s) => ({
                ...s,
                conversation: s.conversation && { ...s.conversation, title },
                messages: s.messages.map((m) =>
                  m.id === question.id
                    ? { ...m, id: userMessageId }
                    : m.isStreaming
                      ? { ...m, id: messageId, model, isStreaming: false }
                      : m,
                ),
              }));
              if (conversation.title !== title) changedRef.current?.({ id: conversation.id, title });
              break;
            }
            case "error":
              updateAnswer((m) => ({ ...m, isStreaming: false, error: event.data.message }));
              break;
          }
        }
        updateAnswer((m) => ({ ...m, isStreaming: false, error: m.error ?? "The answer ended early. Try again." }));
      } catch (error) {
        const stopped = controller.signal.aborted;
        updateAnswer((m) => ({ ...m, isStreaming: false, error: stopped ? "Stopped." : messageOf(error) }));
      } finally {
        if (abortRef.current === controller) abortRef.current = null;
        setState((s) => ({ ...s, isAnswering: false }));
      }
    },
    [client, origin?.projectId, origin?.documentId, state.conversation],
  );

  const stop = useCallback(() => abortRef.current?.abort(), []);

  return { ...state, ask, stop };
}

function blank(role: ChatMessageDto["role"], createdAt: string): ChatMessageDto {
  return { id: PENDING_ID, role, content: "", citations: [], tools: [], model: null, createdAt };
}

function upsertTool(tools: readonly ToolActivityDto[], next: ToolActivityDto): ToolActivityDto[] {
  const index = tools.findIndex((t) => t.callId === next.callId);
  return index === -1 ? [...tools, next] : tools.map((t, i) => (i === index ? next : t));
}

function messageOf(error: unknown): string {
  if (error instanceof AssistantApiError) return error.message;
  return "Something went wrong while talking to the assistant. Try again.";
}
