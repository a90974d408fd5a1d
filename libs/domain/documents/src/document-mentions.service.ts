import type { RequestContext } from "@devflow/auth";
import { DOCUMENT_MENTIONS_MAX } from "@devflow/contracts";
import type { Database, Tx } from "@devflow/db";
import { loadVisibleProject } from "@devflow/domain-projects";
import { recordEvent } from "@devflow/events";
import { isAppError } from "@devflow/util-core";
import * as repo from "./document-mentions.repository";

/** A person is told of a document's mentions at most once in this long. */
export const DOCUMENT_MENTION_QUIET_MS = 60 * 60 * 1000;

export interface RecordDocumentMentionsOptions {
  /** "Now", for tests of the quiet hour. */
  now?: Date;
}

/**
 * Records that `ctx.actor` mentioned `userIds` in the document's text (tokens their edit just
 * inserted), as one `document.mentioned` event in the outbox, and returns who it names. The same
 * rules as a comment's mentions (domain/comments `checkMentions`), except that nobody is refused:
 * ids that are not active members of the organization who can read the document are dropped
 * silently, as is the author, because a token in the text is not a request anyone can answer.
 * Only the first DOCUMENT_MENTIONS_MAX people count.
 *
 * A person named within the last hour for this document is dropped too (DOCUMENT_MENTION_QUIET_MS),
 * so deleting and re-typing a mention, or undo and redo, tells nobody twice. The claim and the
 * event commit together: an event is recorded exactly for the people it claims.
 */
export async function recordDocumentMentions(
  db: Database,
  ctx: RequestContext,
  documentId: string,
  userIds: readonly string[],
  options: RecordDocumentMentionsOptions = {},
): Promise<string[]> {
  const authorId = ctx.actor.userId;
  const candidates = [...new Set(userIds.map((id) => id.toLowerCase()))]
    .filter((id) => id !== authorId)
    .slice(0, DOCUMENT_MENTIONS_MAX);
  if (candidates.length === 0) return [];
  const now = options.now ?? new Date();

  return db.withTenant(ctx, async (tx) => {
    const document = await repo.findDocumentProject(tx, documentId);
    if (!document || document.archivedAt !== null) return [];
    const readers = await whoCanRead(tx, ctx, document.projectId, [authorId, ...candidates]);
    // The author's rights are read afresh as well: someone removed a moment ago mentions nobody.
    if (!readers.has(authorId)) return [];
    const told = await repo.claimMentions(
      tx,
      { organizationId: ctx.organizationId, documentId },
      candidates.filter((id) => readers.has(id)),
      now,
      new Date(now.getTime() - DOCUMENT_MENTION_QUIET_MS),
    );
    if (told.length === 0) return [];
    await recordEvent(tx, {
      type: "document.mentioned",
      organizationId: ctx.organizationId,
      data: { documentId, projectId: document.projectId, mentionedById: authorId, userIds: told },
    });
    return told;
  });
}

/** Those among `userIds` who are active members and can see the project, each by their own role. */
async function whoCanRead(
  tx: Tx,
  ctx: RequestContext,
  projectId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const readers = new Set<string>();
  for (const member of await repo.findActiveMembers(tx, ctx.organizationId, userIds)) {
    if (await canSeeProject(tx, { ...ctx, actor: { userId: member.userId, role: member.role } }, projectId)) {
      readers.add(member.userId);
    }
  }
  return readers;
}

async function canSeeProject(tx: Tx, ctx: RequestContext, projectId: string): Promise<boolean> {
  try {
    await loadVisibleProject(tx, ctx, projectId);
    return true;
  } catch (error) {
    if (isAppError(error) && error.code === "not_found") return false;
    throw error;
  }
}
