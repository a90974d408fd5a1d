import { PR_ANALYSIS_MARKER } from "@devflow/contracts";
import type { GitHubClient } from "@devflow/integrations";
import { AppError } from "@devflow/util-core";

/**
 * Edits the comment whose id was stored; when there is none, or it was deleted, finds the comment
 * carrying the marker (the id was lost) or creates one. So a pull request has one comment however
 * often it is analysed.
 */
export async function upsertStickyComment(
  client: GitHubClient,
  input: { owner: string; repo: string; issueNumber: number; body: string },
  knownId: number | null,
): Promise<{ id: number; created: boolean }> {
  if (knownId !== null) {
    try {
      const updated = await client.updateIssueComment({ ...input, commentId: knownId });
      return { id: updated.id, created: false };
    } catch (error) {
      if (!(error instanceof AppError && error.code === "not_found")) throw error;
    }
  }
  const posted = await client.createOrUpdateIssueComment({ ...input, marker: PR_ANALYSIS_MARKER });
  return { id: posted.id, created: posted.created };
}
