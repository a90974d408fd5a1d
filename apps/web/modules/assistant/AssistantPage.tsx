"use client";

import type { ConversationDto } from "@devflow/contracts";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useCallback, useEffect, useState } from "react";
import { AssistantApiError } from "./assistant-client";
import { AssistantChat } from "./AssistantChat";
import { ConversationList } from "./ConversationList";
import { useAssistantClient } from "./use-assistant-client";

export interface AssistantPageProps {
  aiUrl: string;
  organizationId: string;
  orgSlug: string;
}

interface ListState {
  items: ConversationDto[];
  nextCursor: string | null;
  isLoading: boolean;
  error: string | null;
}

/** The assistant's own page: the conversation history beside the open conversation (`?c=<id>`). */
export function AssistantPage({ aiUrl, organizationId, orgSlug }: AssistantPageProps) {
  const client = useAssistantClient(aiUrl, organizationId);
  const router = useRouter();
  const pathname = usePathname();
  const selectedId = useSearchParams().get("c");
  const [list, setList] = useState<ListState>({ items: [], nextCursor: null, isLoading: true, error: null });

  const load = useCallback(
    async (cursor: string | null) => {
      setList((l) => ({ ...l, isLoading: true, error: null }));
      try {
        const page = await client.listConversations(cursor);
        setList((l) => ({
          items: cursor ? [...l.items, ...page.items] : page.items,
          nextCursor: page.nextCursor,
          isLoading: false,
          error: null,
        }));
      } catch (error) {
        setList((l) => ({ ...l, isLoading: false, error: messageOf(error) }));
      }
    },
    [client],
  );
  useEffect(() => {
    void load(null);
  }, [load]);

  const select = (id: string | null) => router.replace(id ? `${pathname}?c=${id}` : pathname, { scroll: false });

  const onConversationChanged = (c: Pick<ConversationDto, "id" | "title">) => {
    setList((l) => {
      const existing = l.items.find((item) => item.id === c.id);
      const now = new Date().toISOString();
      const updated: ConversationDto = existing
        ? { ...existing, title: c.title, updatedAt: now }
        : { id: c.id, title: c.title, projectId: null, documentId: null, createdAt: now, updatedAt: now };
      return { ...l, items: [updated, ...l.items.filter((item) => item.id !== c.id)] };
    });
    if (c.id !== selectedId) select(c.id);
  };

  return (
    <div className="assistant-page">
      <ConversationList
        items={list.items}
        selectedId={selectedId}
        isLoading={list.isLoading}
        error={list.error}
        hasMore={list.nextCursor !== null}
        onSelect={select}
        onNew={() => select(null)}
        onLoadMore={() => void load(list.nextCursor)}
        onRename={async (id, title) => {
          const renamed = await client.renameConversation(id, title);
          setList((l) => ({ ...l, items: l.items.map((item) => (item.id === id ? renamed : item)) }));
        }}
        onDelete={async (id) => {
          await client.deleteConversation(id);
          setList((l) => ({ ...l, items: l.items.filter((item) => item.id !== id) }));
          if (id === selectedId) select(null);
        }}
      />
      {/* Not keyed by the id: a conversation created by the first question keeps streaming in place. */}
      <AssistantChat
        client={client}
        orgSlug={orgSlug}
        conversationId={selectedId}
        onConversationChanged={onConversationChanged}
        autoFocus
      />
    </div>
  );
}

function messageOf(error: unknown): string {
  return error instanceof AssistantApiError ? error.message : "Could not load your conversations. Try again.";
}
