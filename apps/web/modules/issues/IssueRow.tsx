import type { ProjectIssueDto } from "@devflow/contracts";
import { Badge } from "@devflow/web-ui";
import Link from "next/link";
import type { ReactNode } from "react";
import { becauseText, formatSimilarity, newLabelSuggestions, PRIORITY_TONES } from "./issue-format";
import styles from "./issues.module.css";

/** One issue: what it is and carries, then what its triage suggests, each with the words behind it. */
export function IssueRow({ issue, orgSlug }: { issue: ProjectIssueDto; orgSlug: string }) {
  const { triage } = issue;
  const labels = newLabelSuggestions(issue);
  return (
    <tr data-testid="project-issue-row" data-issue-id={issue.id}>
      <td>
        {issue.url ? (
          <a href={issue.url} target="_blank" rel="noreferrer" className={styles.title}>
            {issue.title}
          </a>
        ) : (
          <span className={styles.title}>{issue.title}</span>
        )}
        <div className={styles.muted}>
          {issue.repositoryFullName}#{issue.number} · {issue.state}
          {issue.milestone && ` · ${issue.milestone}`}
        </div>
        {issue.labels.length > 0 && (
          <div className={styles.chips} aria-label="Labels">
            {issue.labels.map((label) => (
              <Badge key={label}>{label}</Badge>
            ))}
          </div>
        )}
      </td>
      <td>
        {triage ? (
          <Reasoned because={triage.priority.because}>
            <Badge tone={PRIORITY_TONES[triage.priority.value]} testId="issue-priority">
              {triage.priority.value}
            </Badge>
          </Reasoned>
        ) : (
          <span className={styles.muted}>Not triaged</span>
        )}
      </td>
      <td>
        {labels.length > 0 && (
          <div className={styles.chips} aria-label="Suggested labels" data-testid="issue-suggested-labels">
            {labels.map((label) => (
              <Reasoned key={label.value} because={label.because} isInline>
                <Badge tone="blue">+ {label.value}</Badge>
              </Reasoned>
            ))}
          </div>
        )}
        {triage?.component && (
          <Reasoned because={triage.component.because}>
            <span data-testid="issue-component">
              Component: <strong>{triage.component.value}</strong>
            </span>
          </Reasoned>
        )}
        {triage && labels.length === 0 && !triage.component && <span className={styles.muted}>—</span>}
      </td>
      <td>
        {triage && triage.duplicates.length > 0 ? (
          <ul className={styles.list} data-testid="issue-duplicates">
            {triage.duplicates.map((duplicate) => {
              const label = `${duplicate.repositoryFullName}#${duplicate.number} ${duplicate.title}`;
              return (
                <li key={duplicate.issueId}>
                  {duplicate.url ? (
                    <a href={duplicate.url} target="_blank" rel="noreferrer">
                      {label}
                    </a>
                  ) : (
                    label
                  )}{" "}
                  <span className={styles.muted}>{formatSimilarity(duplicate.similarity)} similar</span>
                </li>
              );
            })}
          </ul>
        ) : (
          <span className={styles.muted}>—</span>
        )}
      </td>
      <td>
        {issue.documents.length > 0 ? (
          <ul className={styles.list} data-testid="issue-documents">
            {issue.documents.map((doc) => (
              <li key={doc.id}>
                <Link href={`/${encodeURIComponent(orgSlug)}/documents/${encodeURIComponent(doc.id)}`}>
                  {doc.title}
                </Link>
              </li>
            ))}
          </ul>
        ) : (
          <span className={styles.muted}>—</span>
        )}
      </td>
    </tr>
  );
}

/** A suggestion with the words that led to it on hover and, for block suggestions, under it. */
function Reasoned({
  because,
  isInline = false,
  children,
}: {
  because: string[];
  /** Chips in a row keep the reason to the hover, so the row stays one line. */
  isInline?: boolean;
  children: ReactNode;
}) {
  const reason = becauseText(because);
  return (
    <span className={isInline ? undefined : styles.reasoned} title={reason ?? undefined}>
      {children}
      {reason && !isInline && <span className={styles.because}>{reason}</span>}
    </span>
  );
}
