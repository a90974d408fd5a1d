/**
 * An issue drafted from a passage of a design doc: a title, the passage itself, acceptance
 * criteria drawn from its own words, and the way back to the doc. Nothing is invented: a
 * criterion is a list item of the passage or one of its sentences that states a requirement.
 */

export interface IssueDraft {
  title: string;
  /** Markdown (GitHub, Linear); Jira gets `plainBody`. */
  body: string;
  plainBody: string;
  acceptanceCriteria: string[];
}

export interface DraftSource {
  passage: string;
  documentTitle: string;
  /** The document on the web app. */
  documentUrl: string;
  documentId: string;
  /** A title the person chose; otherwise the passage's heading or first sentence. */
  title?: string | undefined;
}

export const ISSUE_TITLE_MAX = 120;
const CRITERIA_MAX = 15;
const LIST_ITEM = /^\s*(?:[-*+]|\d+[.)])\s+(?:\[[ xX]\]\s+)?(.+?)\s*$/;
const HEADING = /^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$/;
// A sentence that states what must hold: the requirement words of RFC 2119 and their kin.
const REQUIREMENT = /\b(must|shall|should|needs? to|has to|have to|is required to|are required to|will)\b/i;

export function draftIssue(source: DraftSource): IssueDraft {
  const passage = source.passage.replace(/\r\n?/g, "\n").trim();
  const criteria = acceptanceCriteriaOf(passage);
  const title = clip((source.title?.trim() || titleOf(passage)).replace(/\s+/g, " "), ISSUE_TITLE_MAX);
  const quoted = passage
    .split("\n")
    .map((line) => (line.trim() ? `> ${line}` : ">"))
    .join("\n");
  const criteriaMarkdown = criteria.length
    ? `### Acceptance criteria\n${criteria.map((c) => `- [ ] ${c}`).join("\n")}`
    : "### Acceptance criteria\n_The passage states none; add them here._";
  const from = `From the design doc [${escapeMarkdown(source.documentTitle)}](${source.documentUrl}) (devflow:${source.documentId}).`;
  const body = `${quoted}\n\n${criteriaMarkdown}\n\n${from}`;
  const plainBody = [
    passage,
    "",
    "Acceptance criteria:",
    ...(criteria.length ? criteria.map((c) => `- ${c}`) : ["(the passage states none)"]),
    "",
    `From the design doc "${source.documentTitle}": ${source.documentUrl} (devflow:${source.documentId})`,
  ].join("\n");
  return { title, body, plainBody, acceptanceCriteria: criteria };
}

/** The passage's list items when it has any; otherwise its sentences that state a requirement. */
export function acceptanceCriteriaOf(passage: string): string[] {
  const lines = passage.split("\n");
  const items = lines.map((line) => LIST_ITEM.exec(line)?.[1]).filter((item): item is string => !!item);
  const found = items.length
    ? items
    : sentencesOf(lines.filter((line) => !HEADING.test(line)).join(" ")).filter((s) => REQUIREMENT.test(s));
  return [...new Set(found.map((c) => clip(c.replace(/\s+/g, " ").trim(), 300)))]
    .filter(Boolean)
    .slice(0, CRITERIA_MAX);
}

function titleOf(passage: string): string {
  const heading = passage
    .split("\n")
    .map((line) => HEADING.exec(line)?.[1])
    .find(Boolean);
  if (heading) return heading;
  const firstLine = passage.split("\n").find((line) => line.trim()) ?? "Issue from a design doc";
  const item = LIST_ITEM.exec(firstLine)?.[1];
  return sentencesOf(item ?? firstLine)[0] ?? firstLine;
}

function sentencesOf(text: string): string[] {
  return (text.match(/[^.!?]+[.!?]*/g) ?? []).map((s) => s.trim()).filter((s) => s.length > 0);
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function escapeMarkdown(text: string): string {
  return text.replace(/([[\]\\])/g, "\\$1");
}
