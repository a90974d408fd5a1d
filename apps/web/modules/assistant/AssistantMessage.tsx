"use client";

import type { CitationCheckDto } from "@devflow/contracts";
import { Alert } from "@devflow/web-ui";
import { memo, useEffect, useMemo, useState } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import type { AssistantClient } from "./assistant-client";
import { citationRefOf, linkCitations } from "./citation-markdown";
import { CitationChip, CitationList, citationCheckRef } from "./CitationChip";
import { ProposalCard } from "./ProposalCard";
import { ToolActivityList } from "./ToolActivity";
import type { ChatEntry } from "./use-assistant-chat";

export interface AssistantMessageProps {
  message: ChatEntry;
  client: AssistantClient;
  orgSlug: string;
  openDocumentId?: string;
  onReask?: () => void;
}

/** One message: the person's question as written, or the answer with its tools, sources and proposals. */
export const AssistantMessage = memo(function AssistantMessage({
  message,
  client,
  orgSlug,
  openDocumentId,
  onReask,
}: AssistantMessageProps) {
  const checks = useCitationChecks(client, message);
  const byRef = useMemo(() => new Map(message.citations.map((c) => [c.ref, c])), [message.citations]);
  const markdown = useMemo(() => linkCitations(message.content, new Set(byRef.keys())), [message.content, byRef]);

  if (message.role === "user") {
    return (
      <div className="chat-message chat-message--user" data-testid="chat-question">
        <p className="chat-message__text">{message.content}</p>
      </div>
    );
  }

  const components: Components = {
    a: ({ node: _node, href, children, ...props }) => {
      const ref = citationRefOf(href);
      const citation = ref === null ? undefined : byRef.get(ref);
      if (citation) return <CitationChip citation={citation} check={checks.get(citation.ref)} orgSlug={orgSlug} />;
      return (
        <a {...props} href={href} target="_blank" rel="noopener noreferrer nofollow">
          {children}
        </a>
      );
    },
  };
  const proposals = message.tools.flatMap((t) => (t.proposal ? [{ callId: t.callId, proposal: t.proposal }] : []));

  return (
    <div
      className="chat-message chat-message--assistant"
      data-testid="chat-answer"
      aria-busy={message.isStreaming || undefined}
    >
      <ToolActivityList tools={message.tools} />
      {message.content === "" && message.isStreaming && <p className="chat-message__thinking">Thinking…</p>}
      <div className="chat-message__markdown markdown-body">
        <Markdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
          {markdown}
        </Markdown>
      </div>
      {proposals.map(({ callId, proposal }) => (
        <ProposalCard
          key={callId}
          proposal={proposal}
          orgSlug={orgSlug}
          {...(openDocumentId && { openDocumentId })}
          {...(onReask && { onReask })}
        />
      ))}
      {!message.isStreaming && <CitationList citations={message.citations} checks={checks} orgSlug={orgSlug} />}
      {message.error && <Alert tone="error">{message.error}</Alert>}
    </div>
  );
});

/**
 * Whether each cited passage changed since the answer: checked once the answer is complete (and
 * once per message), so chips can say "changed since" and open where the passage is now.
 */
function useCitationChecks(client: AssistantClient, message: ChatEntry): ReadonlyMap<number, CitationCheckDto> {
  const [checks, setChecks] = useState<ReadonlyMap<number, CitationCheckDto>>(new Map());
  const shouldCheck = message.role === "assistant" && !message.isStreaming && message.citations.length > 0;
  useEffect(() => {
    if (!shouldCheck) return;
    let isCurrent = true;
    const cited = message.citations.slice(0, 50);
    client.checkCitations(cited.map(citationCheckRef)).then(
      (results) => {
        if (isCurrent) setChecks(new Map(results.map((r, i) => [cited[i]!.ref, r])));
      },
      // The chips still open the cited version; the flag is a nicety, not worth an error.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [client, message.id, shouldCheck]);
  return checks;
}
