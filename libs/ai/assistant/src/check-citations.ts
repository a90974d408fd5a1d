import { can, type RequestContext } from "@devflow/auth";
import { parseOp, transformRange, type TextOp } from "@devflow/collab-ot";
import type { CheckCitationsInput, CitationCheckDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import type { DocumentsService } from "@devflow/domain-documents";
import { listVisibleProjectIds } from "@devflow/domain-projects";
import { isAppError } from "@devflow/util-core";
import { listOpsAfter } from "./document-ops.repository";
import { findCitableFileText } from "./file-text.repository";

type CitationRef = CheckCitationsInput["citations"][number];
type DocumentCitationRef = Extract<CitationRef, { sourceType: "document" }>;
type FileCitationRef = Extract<CitationRef, { sourceType: "file" }>;

/** The one version an uploaded file has: its passages are cut from the text extracted from it. */
export const FILE_VERSION = 1;

export interface CitationCheckerDeps {
  db: Database;
  /** Reads the head (`get`) and older versions (`history.textAt`), as the person may. */
  documents: Pick<DocumentsService, "get" | "history">;
}

export interface CitationCheckerOptions {
  /** Ops read per query. */
  opChunk?: number;
  /** Past this many versions behind the head, the passage is looked up by its text instead of replaying ops. */
  maxOpsReplayed?: number;
}

interface Head {
  version: number;
  content: string;
}

/**
 * Whether each cited passage still says what it said: the range is moved from the cited version
 * to the head over the committed ops (as comment anchors are), and the text there is compared with
 * the text at the cited version. Where the op log cannot bridge the gap (a version written without
 * ops, or too far back), the quote is looked for in the current text instead. A document the person
 * cannot read (any more) is `missing`, never an error: the rest of the answer still checks.
 *
 * An uploaded file has one version and its extracted text never changes, so a file citation is
 * `current` while the file can be read (ready, not archived, in a live project the person may see,
 * as retrieval requires) and the range lies within that text, and `missing` otherwise.
 */
export function createCitationChecker(deps: CitationCheckerDeps, options: CitationCheckerOptions = {}) {
  const opChunk = options.opChunk ?? 1_000;
  const maxOpsReplayed = options.maxOpsReplayed ?? 20_000;

  return async function checkCitations(
    ctx: RequestContext,
    citations: readonly CitationRef[],
  ): Promise<CitationCheckDto[]> {
    const heads = new Map<string, Promise<Head | null>>();
    const texts = new Map<string, Promise<string | null>>();
    const headOf = (documentId: string) => {
      if (!heads.has(documentId)) heads.set(documentId, orMissing(deps.documents.get(ctx, documentId)));
      return heads.get(documentId)!;
    };
    const textAt = (documentId: string, version: number) => {
      const key = `${documentId}@${version}`;
      if (!texts.has(key)) {
        texts.set(
          key,
          orMissing(deps.documents.history.textAt(ctx, documentId, version)).then((v) => v?.content ?? null),
        );
      }
      return texts.get(key)!;
    };

    const fileTexts = new Map<string, Promise<string | null>>();
    const fileTextOf = (fileId: string) => {
      if (!fileTexts.has(fileId)) fileTexts.set(fileId, readFileText(ctx, fileId));
      return fileTexts.get(fileId)!;
    };

    const results: CitationCheckDto[] = [];
    for (const citation of citations) {
      results.push(
        citation.sourceType === "file"
          ? checkFile(citation, await fileTextOf(citation.fileId))
          : await checkOne(ctx, citation, await headOf(citation.documentId), textAt),
      );
    }
    return results;
  };

  async function readFileText(ctx: RequestContext, fileId: string): Promise<string | null> {
    // Files follow documents' rules: whoever may read documents may read them.
    if (!can(ctx.actor, "document:read")) return null;
    return deps.db.withTenant(ctx, async (tx) => findCitableFileText(tx, fileId, await listVisibleProjectIds(tx, ctx)));
  }

  async function checkOne(
    ctx: RequestContext,
    citation: DocumentCitationRef,
    head: Head | null,
    textAt: (documentId: string, version: number) => Promise<string | null>,
  ): Promise<CitationCheckDto> {
    const missing: CitationCheckDto = { ...citation, status: "missing", changed: true, current: null };
    if (!head || citation.version > head.version || citation.end < citation.start) return missing;
    const cited =
      citation.version === head.version ? head.content : await textAt(citation.documentId, citation.version);
    if (cited === null || citation.end > cited.length) return missing;
    const quote = cited.slice(citation.start, citation.end);
    if (citation.version === head.version) {
      return { ...citation, status: "current", changed: false, current: rangeAt(head, citation.start, citation.end) };
    }
    const moved =
      head.version - citation.version <= maxOpsReplayed ? await moveOverOps(ctx, citation, head.version) : null;
    if (moved) {
      if (moved.outdated) {
        return { ...citation, status: "changed", changed: true, current: rangeAt(head, moved.at, moved.at) };
      }
      const isSame = head.content.slice(moved.from, moved.to) === quote;
      return {
        ...citation,
        status: isSame ? "current" : "changed",
        changed: !isSame,
        current: rangeAt(head, moved.from, moved.to),
      };
    }
    const found = nearestOccurrence(head.content, quote, citation.start);
    return found === null
      ? { ...citation, status: "changed", changed: true, current: null }
      : { ...citation, status: "current", changed: false, current: rangeAt(head, found, found + quote.length) };
  }

  /** The range moved over every op after the cited version, or null when the log has a gap. */
  async function moveOverOps(ctx: RequestContext, citation: DocumentCitationRef, headVersion: number) {
    let range = { from: citation.start, to: citation.end };
    // Once all of its text is gone the passage is a caret where it was, moved on like one.
    let isOutdated = false;
    let after = citation.version;
    while (after < headVersion) {
      const rows = await deps.db.withTenant(ctx, (tx) =>
        listOpsAfter(tx, citation.documentId, after, headVersion, opChunk),
      );
      for (const row of rows) {
        if (row.version !== after + 1) return null;
        const parsed = parseOp(row.op, { maxSize: Number.MAX_SAFE_INTEGER });
        if (!parsed.ok) return null;
        const moved = transformRange(range, parsed.op as TextOp);
        if (moved.outdated) {
          isOutdated = true;
          range = { from: moved.at, to: moved.at };
        } else {
          range = { from: moved.from, to: moved.to };
        }
        after = row.version;
      }
      if (rows.length === 0) return null;
    }
    return isOutdated ? { outdated: true as const, at: range.from } : { outdated: false as const, ...range };
  }
}

function checkFile(citation: FileCitationRef, text: string | null): CitationCheckDto {
  const isReadable =
    text !== null && citation.version === FILE_VERSION && citation.start <= citation.end && citation.end <= text.length;
  return isReadable
    ? {
        ...citation,
        status: "current",
        changed: false,
        current: { version: FILE_VERSION, start: citation.start, end: citation.end },
      }
    : { ...citation, status: "missing", changed: true, current: null };
}

function rangeAt(head: Head, start: number, end: number) {
  return { version: head.version, start, end };
}

async function orMissing<T>(promise: Promise<T>): Promise<T | null> {
  try {
    return await promise;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return null;
    throw error;
  }
}

function nearestOccurrence(text: string, needle: string, near: number): number | null {
  if (needle.length === 0) return null;
  let best: number | null = null;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
    if (at > near) break;
  }
  return best;
}
