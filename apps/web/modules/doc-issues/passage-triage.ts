import {
  TRIAGE_TEXT_MAX,
  type TriageDuplicateDto,
  type TriagePassageInput,
  type TriageSuggestionDto,
} from "@devflow/contracts";
import { formatSimilarity } from "../issues/issue-format";

/**
 * What to triage the passage against: the chosen GitHub repository, or the whole organization
 * when there is none (Jira and Linear issues are not stored, so any repository's may match).
 * Null when the server would refuse the passage (blank or too long): the panel then stays away.
 */
export function triageInput(passage: string, repositoryId: string | undefined): TriagePassageInput | null {
  if (!passage.trim() || passage.length > TRIAGE_TEXT_MAX) return null;
  return repositoryId ? { text: passage, repositoryId } : { text: passage };
}

/**
 * Whether triage has anything to say: a duplicate, a label, a component, or a priority some words
 * led to. P3 with no reasons is only the fallback, so an answer of that alone is not shown.
 */
export function hasSuggestions(suggestion: TriageSuggestionDto): boolean {
  return (
    suggestion.duplicates.length > 0 ||
    suggestion.labels.length > 0 ||
    suggestion.component !== null ||
    suggestion.priority.because.length > 0
  );
}

/** "acme/api#12", as GitHub writes a reference to an issue. */
export function duplicateReference(duplicate: Pick<TriageDuplicateDto, "repositoryFullName" | "number">): string {
  return `${duplicate.repositoryFullName}#${duplicate.number}`;
}

/**
 * "87% similar", or "87% similar by shared words" when the embedder is lexical: there a high
 * score means the texts share words, not that they say the same thing.
 */
export function similarityText(similarity: number, isSemantic: boolean): string {
  return `${formatSimilarity(similarity)} similar${isSemantic ? "" : " by shared words"}`;
}
