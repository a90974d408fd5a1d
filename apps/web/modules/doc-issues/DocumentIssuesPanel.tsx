"use client";

import { errorMessage, useListDocumentIssuesQuery } from "@devflow/web-data-access";
import { Alert, Button, SkeletonList } from "@devflow/web-ui";
import { formatDateTime, timeAgo } from "../common/format";
import { TRACKER_LABELS } from "./issue-request";
import "./doc-issues.css";

/** The issues filed from this document's passages, newest first, beside the editor. */
export function DocumentIssuesPanel({ organizationId, documentId }: { organizationId: string; documentId: string }) {
  const issues = useListDocumentIssuesQuery({ organizationId, documentId }, { refetchOnMountOrArgChange: true });
  const items = issues.data?.items ?? [];

  return (
    <aside className="panel doc-issues" data-testid="issues-panel" aria-label="Issues filed from this document">
      <div className="doc-issues__header">
        <h2>Issues</h2>
        <span className="doc-issues__spacer" />
        <Button size="sm" variant="ghost" onClick={() => void issues.refetch()} isLoading={issues.isFetching}>
          Refresh
        </Button>
      </div>
      {issues.isLoading && <SkeletonList rows={2} label="Loading issues" />}
      {issues.error !== undefined && (
        <Alert
          action={
            <Button size="sm" onClick={() => void issues.refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(issues.error, "Could not load the issues filed from this document.")}
        </Alert>
      )}
      {issues.isSuccess && items.length === 0 && (
        <p className="doc-issues__muted" data-testid="issues-empty">
          No issues filed from this document yet.
        </p>
      )}
      {items.length > 0 && (
        <ul className="doc-issues__list">
          {items.map((issue) => (
            <li key={issue.id} className="doc-issues__item" data-testid="issue-item">
              <div className="doc-issues__row">
                <span className="doc-issues__provider">{TRACKER_LABELS[issue.provider]}</span>
                <a href={issue.url} target="_blank" rel="noopener noreferrer" data-testid="issue-key">
                  {issue.externalKey}
                </a>
                <strong className="doc-issues__title">{issue.title}</strong>
                <time className="doc-issues__muted" dateTime={issue.createdAt} title={formatDateTime(issue.createdAt)}>
                  {timeAgo(issue.createdAt)}
                </time>
              </div>
              <p className="doc-issues__excerpt">{issue.passage}</p>
            </li>
          ))}
        </ul>
      )}
    </aside>
  );
}
