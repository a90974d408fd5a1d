import type { ProjectIssueStateFilter, TriagePriority, TriageReasoned } from "@devflow/contracts";
import type { BadgeTone } from "@devflow/web-ui";

// Records keyed by the contracts' unions, so a new priority or state fails to compile until it has a label.
export const PRIORITY_TONES: Record<TriagePriority, BadgeTone> = { P1: "red", P2: "amber", P3: "neutral" };

export const STATE_LABELS: Record<ProjectIssueStateFilter, string> = { open: "Open", closed: "Closed", all: "All" };

/** "because: crashes, data loss"; null when no words led to the suggestion. */
export function becauseText(because: readonly string[]): string | null {
  return because.length > 0 ? `because: ${because.join(", ")}` : null;
}

/**
 * The labels triage suggested that the issue does not carry yet (compared without case, as GitHub
 * does), so a row never suggests what someone already applied.
 */
export function newLabelSuggestions(issue: {
  labels: readonly string[];
  triage: { labels: TriageReasoned<string>[] } | null;
}): TriageReasoned<string>[] {
  const applied = new Set(issue.labels.map((label) => label.toLowerCase()));
  return (issue.triage?.labels ?? []).filter((label) => !applied.has(label.value.toLowerCase()));
}

/** A similarity of 0–1 as a whole percentage: 0.873 → "87%". */
export function formatSimilarity(similarity: number): string {
  return `${Math.round(Math.max(0, similarity) * 100)}%`;
}
