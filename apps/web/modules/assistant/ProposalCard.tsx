"use client";

import type { ProposedEditDto } from "@devflow/contracts";
import { Alert, Button } from "@devflow/web-ui";
import Link from "next/link";
import { useState } from "react";
import { documentHref } from "../search/passage-link";
import { planProposal } from "./apply-proposal";
import { applyInEditor, findOpenEditor } from "./open-editor";

export interface ProposalCardProps {
  proposal: ProposedEditDto;
  orgSlug: string;
  /** The document open in this tab, if any: only its editor can take the edit. */
  openDocumentId?: string;
  /** Asks the assistant again, when the document moved on from the proposal. */
  onReask?: () => void;
}

type Outcome = { kind: "applied" } | { kind: "failed"; reason: string } | null;

/**
 * A proposed edit as a diff, with Accept when the document is open here: the edit is converted to
 * the editor's current text and applied as the person's own edit. When the proposal no longer
 * fits the text, it says so and offers to ask again.
 */
export function ProposalCard({ proposal, orgSlug, openDocumentId, onReask }: ProposalCardProps) {
  const [outcome, setOutcome] = useState<Outcome>(null);
  const isOpenHere = openDocumentId === proposal.documentId;

  const accept = () => {
    const view = findOpenEditor(openDocumentId);
    if (!view) return setOutcome({ kind: "failed", reason: "The editor is not ready yet. Try again in a moment." });
    const plan = planProposal(view.state.doc.toString(), proposal);
    if (!plan.ok) return setOutcome({ kind: "failed", reason: plan.reason });
    if (!applyInEditor(view, plan.changes)) {
      return setOutcome({ kind: "failed", reason: "This document is read-only for you." });
    }
    setOutcome({ kind: "applied" });
  };

  return (
    <div className="proposal" data-testid="proposal">
      <div className="proposal__header">
        <span>
          Proposed edit to <strong>{proposal.title ?? "the document"}</strong> (v{proposal.baseVersion})
        </span>
        {isOpenHere ? (
          <Button size="sm" variant="primary" onClick={accept} disabled={outcome?.kind === "applied"}>
            {outcome?.kind === "applied" ? "Applied" : "Accept"}
          </Button>
        ) : (
          <Link className="proposal__open" href={documentHref(orgSlug, proposal.documentId)}>
            Open the document to accept
          </Link>
        )}
      </div>
      <pre className="proposal__diff" aria-label="Proposed changes">
        {proposal.diff.split("\n").map((line, i) => (
          <span key={i} className={diffLineClass(line)}>
            {line}
            {"\n"}
          </span>
        ))}
      </pre>
      {outcome?.kind === "failed" && (
        <Alert
          tone="error"
          action={
            onReask && (
              <Button size="sm" onClick={onReask}>
                Ask again
              </Button>
            )
          }
        >
          {outcome.reason}
        </Alert>
      )}
    </div>
  );
}

function diffLineClass(line: string): string | undefined {
  if (line.startsWith("+++") || line.startsWith("---")) return "proposal__line--file";
  if (line.startsWith("+")) return "proposal__line--added";
  if (line.startsWith("-")) return "proposal__line--removed";
  if (line.startsWith("@@")) return "proposal__line--hunk";
  return undefined;
}
