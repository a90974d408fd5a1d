"use client";

import { Button } from "@devflow/web-ui";
import { CreateIssueDialog } from "./CreateIssueDialog";
import type { IssueFromPassage } from "./use-issue-from-passage";
import "./doc-issues.css";

const SHORTCUT = typeof navigator !== "undefined" && /Mac|iPhone|iPad/.test(navigator.platform) ? "⌘⌥K" : "Ctrl+Alt+K";

/**
 * The editor toolbar's issue controls: "Create issue" from the selection (for people who may edit;
 * Mod-Alt-K does the same) and the toggle for the document's list of issues. The dialog is
 * modal, so it lives here too.
 */
export function IssueActions({
  organizationId,
  documentId,
  issues,
}: {
  organizationId: string;
  documentId: string;
  issues: IssueFromPassage;
}) {
  return (
    <>
      {issues.canFile && (
        <Button
          size="sm"
          variant="ghost"
          onClick={() => issues.open()}
          disabled={!issues.hasSelection}
          title={issues.hasSelection ? `Create an issue from the selection (${SHORTCUT})` : "Select a passage first"}
          aria-keyshortcuts="Control+Alt+K Meta+Alt+K"
          data-testid="create-issue"
        >
          Create issue
        </Button>
      )}
      <Button
        size="sm"
        variant="ghost"
        onClick={issues.toggleList}
        aria-pressed={issues.isListShown}
        data-testid="issues-toggle"
      >
        {issues.isListShown ? "Hide issues" : "Issues"}
      </Button>
      <CreateIssueDialog
        organizationId={organizationId}
        documentId={documentId}
        passage={issues.passage}
        onClose={issues.close}
      />
    </>
  );
}
