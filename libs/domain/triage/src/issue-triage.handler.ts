import type { Database } from "@devflow/db";
import type { EventHandler } from "@devflow/events";
import { triageIssue, type TriageOptions } from "./triage.service";

/** The handler's name: its queue. Renaming it starts a new queue. */
export const ISSUE_TRIAGE_HANDLER = "triage.issue-opened";

/**
 * Triages each newly opened issue (`issue.opened`, recorded by the GitHub event processor with the
 * issue). Idempotent without markers: triage recomputes and replaces its suggestions.
 */
export function createIssueTriageHandler(db: Database, options: TriageOptions): EventHandler<"issue.opened"> {
  return {
    name: ISSUE_TRIAGE_HANDLER,
    type: "issue.opened",
    async handle(event) {
      await triageIssue(db, { organizationId: event.organizationId }, event.data.issueId, options);
    },
  };
}
