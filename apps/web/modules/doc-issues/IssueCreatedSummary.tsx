"use client";

import type { CreatedIssueDto } from "@devflow/contracts";
import { Alert, Button } from "@devflow/web-ui";
import { TRACKER_LABELS } from "./issue-request";

/** What the dialog shows once the issue is filed: where it is, and the acceptance criteria it carries. */
export function IssueCreatedSummary({ issue, onDone }: { issue: CreatedIssueDto; onDone: () => void }) {
  return (
    <div className="form-stack" data-testid="create-issue-done">
      <Alert tone="info" title={`Filed in ${TRACKER_LABELS[issue.provider]}`}>
        <a href={issue.url} target="_blank" rel="noopener noreferrer" data-testid="created-issue-link">
          {issue.externalKey}
        </a>{" "}
        · {issue.title}
      </Alert>
      <section aria-labelledby="created-issue-criteria">
        <h3 id="created-issue-criteria" className="doc-issues__heading">
          Acceptance criteria
        </h3>
        {issue.acceptanceCriteria.length === 0 ? (
          <p className="doc-issues__muted" data-testid="created-issue-no-criteria">
            The passage states none; add them in the issue.
          </p>
        ) : (
          <ul className="doc-issues__criteria" data-testid="created-issue-criteria">
            {issue.acceptanceCriteria.map((criterion) => (
              <li key={criterion}>{criterion}</li>
            ))}
          </ul>
        )}
      </section>
      <div className="ui-dialog__footer">
        <Button variant="primary" onClick={onDone} autoFocus>
          Done
        </Button>
      </div>
    </div>
  );
}
