import {
  PrAnalysisSchema,
  TriagePrioritySchema,
  type DocRef,
  type PrAnalysis,
  type PrLinkedIssue,
} from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import type { GitHubClient } from "@devflow/integrations";
import { CODEOWNERS_PATHS } from "./codeowners";
import { docMentions, type DocMentions } from "./doc-compliance";

/** How many docs' text the docs step keeps for the review. */
const REVIEW_DOCS_MAX = 5;

/** What the docs step found: the design docs at the version read, and the issues the PR references. */
export interface DocsOutput {
  organizationSlug: string;
  docs: DocRef[];
  mentions: Record<string, DocMentions>;
  /** The docs' text most about the changed files, for the review; only with a chat model (and absent in runs from before it). */
  texts?: Record<string, string>;
  /** The issues the title and body reference (absent in runs from before they were read). */
  linkedIssues?: PrLinkedIssue[];
}

/**
 * The docs at their current version, with the newest named revision at or before it and what they
 * name; with `textOf`, the text of the first REVIEW_DOCS_MAX for the review, read at that version too.
 */
export async function readDocs(
  tx: Tx,
  ids: readonly { id: string; source: DocRef["source"] }[],
  organizationSlug: string,
  textOf: ((markdown: string) => string) | null,
): Promise<DocsOutput> {
  const rows = await tx.document.findMany({
    where: { id: { in: ids.map((d) => d.id) }, archivedAt: null },
    select: { id: true, title: true, status: true, version: true, content: true },
  });
  const docs: DocRef[] = [];
  const mentions: Record<string, DocMentions> = {};
  const texts: Record<string, string> = {};
  for (const { id, source } of ids) {
    const row = rows.find((r) => r.id === id);
    if (!row) continue;
    const revision = await tx.documentRevision.findFirst({
      where: { documentId: id, version: { lte: row.version } },
      orderBy: [{ version: "desc" }, { createdAt: "desc" }],
      select: { id: true, name: true, version: true },
    });
    docs.push({ documentId: id, title: row.title, status: row.status, version: row.version, revision, source });
    mentions[id] = docMentions(row.content);
    if (textOf && docs.length <= REVIEW_DOCS_MAX) texts[id] = textOf(row.content);
  }
  return { organizationSlug, docs, mentions, ...(textOf && { texts }) };
}

/** The first CODEOWNERS GitHub would use at `ref`, or null when the repository has none. */
export async function readCodeOwners(
  client: GitHubClient,
  input: { owner: string; repo: string; ref: string },
): Promise<string | null> {
  for (const path of CODEOWNERS_PATHS) {
    const text = await client.getFileText({ ...input, path });
    if (text !== null) return text;
  }
  return null;
}

/** The stored triage's suggested priority; null for an issue never triaged (or triaged in another shape). */
export function priorityOf(triage: unknown): PrLinkedIssue["priority"] {
  const value = (triage as { priority?: { value?: unknown } } | null)?.priority?.value;
  const parsed = TriagePrioritySchema.safeParse(value);
  return parsed.success ? parsed.data : null;
}

export function previousAnalysis(stored: unknown): PrAnalysis | null {
  const parsed = PrAnalysisSchema.safeParse(stored);
  return parsed.success ? parsed.data : null;
}

export function directoriesOf(stored: unknown): string[] {
  const dirs = (stored as { summary?: { directories?: unknown } } | null)?.summary?.directories;
  return Array.isArray(dirs) ? dirs.filter((d): d is string => typeof d === "string") : [];
}
