"use client";

import { useTriagePassageQuery } from "@devflow/web-data-access";
import { Badge, Spinner } from "@devflow/web-ui";
import type { ReactNode } from "react";
import { PRIORITY_TONES, becauseText } from "../issues/issue-format";
import { duplicateReference, hasSuggestions, similarityText, triageInput } from "./passage-triage";

export interface PassageTriageProps {
  organizationId: string;
  passage: string;
  /** The GitHub repository the issue goes to; absent, the passage is triaged against the whole organization. */
  repositoryId?: string;
}

/**
 * "Before you file": the priority, labels and component triage suggests for the passage, and the
 * existing issues that may already say it. Advice only: while it loads or when it fails, the form
 * stays usable and filing goes ahead.
 */
export function PassageTriage({ organizationId, passage, repositoryId }: PassageTriageProps) {
  const input = triageInput(passage, repositoryId);
  // Each triage embeds the passage, and the server limits how often: coming back to the tab is no reason to redo it.
  const { currentData, isFetching, isError } = useTriagePassageQuery(
    { organizationId, ...(input ?? { text: "" }) },
    {
      skip: input === null,
      refetchOnFocus: false,
      refetchOnReconnect: false,
    },
  );

  if (input === null) return null;
  // currentData, not data: after a change of repository the other repository's duplicates must not linger.
  if (isFetching && !currentData) {
    return (
      <TriagePanel>
        <p className="doc-issues__muted doc-issues__row" data-testid="passage-triage-loading">
          <Spinner size={12} /> Looking for similar issues…
        </p>
      </TriagePanel>
    );
  }
  if (isError) {
    return (
      <TriagePanel>
        <p className="doc-issues__muted" data-testid="passage-triage-error">
          Could not look for similar issues; you can still file this one.
        </p>
      </TriagePanel>
    );
  }
  if (!currentData || !hasSuggestions(currentData)) return null;

  const { priority, labels, component, duplicates, semantic } = currentData;
  const priorityReason = becauseText(priority.because);
  return (
    <TriagePanel>
      {duplicates.length > 0 ? (
        <>
          <p className="doc-issues__warning" data-testid="passage-triage-filed">
            This may already be filed:
          </p>
          <ul className="doc-issues__duplicates" data-testid="passage-triage-duplicates">
            {duplicates.map((duplicate) => (
              <li key={duplicate.issueId} data-testid="passage-triage-duplicate">
                {duplicate.url ? (
                  <a href={duplicate.url} target="_blank" rel="noopener noreferrer">
                    {duplicateReference(duplicate)}
                  </a>
                ) : (
                  duplicateReference(duplicate)
                )}{" "}
                {duplicate.title}{" "}
                <span className="doc-issues__muted">
                  · {duplicate.state} · {similarityText(duplicate.similarity, semantic)}
                </span>
              </li>
            ))}
          </ul>
        </>
      ) : (
        <p className="doc-issues__muted" data-testid="passage-triage-no-duplicates">
          No similar issues.
        </p>
      )}
      <p className="doc-issues__row" data-testid="passage-triage-priority">
        Suggested priority <Badge tone={PRIORITY_TONES[priority.value]}>{priority.value}</Badge>
        {priorityReason && <span className="doc-issues__muted">{priorityReason}</span>}
      </p>
      {labels.length > 0 && (
        <p className="doc-issues__row" data-testid="passage-triage-labels">
          Suggested labels{" "}
          {labels.map((label) => (
            <span key={label.value} title={becauseText(label.because) ?? undefined}>
              <Badge tone="blue">{label.value}</Badge>
            </span>
          ))}
        </p>
      )}
      {component && (
        <p className="doc-issues__row" data-testid="passage-triage-component">
          Component <strong>{component.value}</strong>
          {becauseText(component.because) && (
            <span className="doc-issues__muted">{becauseText(component.because)}</span>
          )}
        </p>
      )}
    </TriagePanel>
  );
}

function TriagePanel({ children }: { children: ReactNode }) {
  return (
    <section className="doc-issues__triage" aria-labelledby="passage-triage-heading" data-testid="passage-triage">
      <h3 id="passage-triage-heading" className="doc-issues__heading">
        Before you file
      </h3>
      {children}
    </section>
  );
}
