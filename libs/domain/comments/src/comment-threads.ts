import { parseOp, type TextOp } from "@devflow/collab-ot";
import type { CommentDto, CommentThreadDto, CommentUserDto } from "@devflow/contracts";
import type { Tx } from "@devflow/db";
import { moveAnchor, type Anchor, type VersionedOp } from "./anchor";
import * as repo from "./comments.repository";
import type { CommentRow } from "./comments.repository";

/** The document as the comments service needs it: where its text is now. */
export interface DocumentHeadRow {
  id: string;
  version: number;
}

/**
 * Brings the anchors of `threads` (first comments) to the document's head version, storing the
 * moved anchors so each op is read once per thread, not once per read. Returns the rows with the
 * anchors at the head. Ops are read in chunks of `opChunk`, oldest first.
 */
export async function bringToHead(
  tx: Tx,
  doc: DocumentHeadRow,
  threads: readonly CommentRow[],
  opChunk: number,
): Promise<CommentRow[]> {
  const behind = threads.filter((row) => row.anchorVersion !== null && row.anchorVersion < doc.version);
  if (behind.length === 0) return [...threads];
  const anchors = new Map<string, Anchor>(behind.map((row) => [row.id, anchorOf(row)]));
  const oldest = Math.min(...behind.map((row) => row.anchorVersion!));
  await readOpsSince(tx, doc, oldest, opChunk, (ops) => {
    for (const [id, anchor] of anchors) anchors.set(id, moveAnchor(anchor, ops));
  });
  for (const [id, anchor] of anchors) await repo.storeMovedAnchor(tx, id, anchor);
  return threads.map((row) => {
    const moved = anchors.get(row.id);
    return moved
      ? {
          ...row,
          anchorStart: moved.from,
          anchorEnd: moved.to,
          anchorVersion: moved.version,
          isOutdated: moved.isOutdated,
        }
      : row;
  });
}

/**
 * Hands the ops from `afterVersion + 1` to the head to `visit`, a chunk at a time, oldest first.
 * Throws when the log has a gap: an anchor moved over the wrong ops would point at the wrong text.
 */
export async function readOpsSince(
  tx: Tx,
  doc: DocumentHeadRow,
  afterVersion: number,
  opChunk: number,
  visit: (ops: VersionedOp[]) => void,
): Promise<void> {
  let after = afterVersion;
  while (after < doc.version) {
    const rows = await repo.listOpsAfter(tx, doc.id, after, doc.version, opChunk);
    if (rows[0]?.version !== after + 1) {
      throw new Error(`Document ${doc.id}'s op log has no v${after + 1}, below its head v${doc.version}`);
    }
    visit(rows.map((row) => ({ version: row.version, op: storedOp(row.version, row.op) })));
    after = rows.at(-1)!.version;
  }
}

export function anchorOf(row: CommentRow): Anchor {
  return {
    from: row.anchorStart ?? 0,
    to: row.anchorEnd ?? row.anchorStart ?? 0,
    version: row.anchorVersion ?? 0,
    isOutdated: row.isOutdated,
  };
}

/** Everyone the rows name (authors and mentions), as this organization knows them. */
export async function usersOf(tx: Tx, rows: readonly CommentRow[]): Promise<Map<string, CommentUserDto>> {
  const ids = new Set<string>();
  for (const row of rows) {
    if (row.authorId) ids.add(row.authorId);
    for (const id of row.mentions) ids.add(id);
  }
  const users = await repo.findUsers(tx, [...ids]);
  return new Map(users.map((user) => [user.id, user]));
}

/**
 * Groups a document's comments into threads (first comment, then replies in order), in document
 * order: by where the anchor starts, outdated threads by where their text used to be.
 */
export function toThreadDtos(
  roots: readonly CommentRow[],
  replies: readonly CommentRow[],
  users: Map<string, CommentUserDto>,
): CommentThreadDto[] {
  const repliesByThread = new Map<string, CommentRow[]>();
  for (const reply of replies) {
    if (!reply.parentId) continue;
    const list = repliesByThread.get(reply.parentId) ?? [];
    list.push(reply);
    repliesByThread.set(reply.parentId, list);
  }
  return roots
    .map((root) => toThreadDto(root, repliesByThread.get(root.id) ?? [], users))
    .sort((a, b) => a.anchor.from - b.anchor.from || a.createdAt.localeCompare(b.createdAt));
}

export function toThreadDto(
  root: CommentRow,
  replies: readonly CommentRow[],
  users: Map<string, CommentUserDto>,
): CommentThreadDto {
  const anchor = anchorOf(root);
  const updatedAt = [root, ...replies].reduce(
    (latest, row) => (row.updatedAt > latest ? row.updatedAt : latest),
    root.updatedAt,
  );
  return {
    id: root.id,
    documentId: root.documentId,
    status: root.status,
    anchor: { from: anchor.from, to: anchor.to, version: anchor.version },
    isOutdated: root.isOutdated,
    quote: root.quote,
    resolvedAt: root.resolvedAt?.toISOString() ?? null,
    comments: [root, ...replies].map((row) => toCommentDto(row, users)),
    createdAt: root.createdAt.toISOString(),
    updatedAt: updatedAt.toISOString(),
  };
}

function toCommentDto(row: CommentRow, users: Map<string, CommentUserDto>): CommentDto {
  return {
    id: row.id,
    author: (row.authorId && users.get(row.authorId)) || null,
    body: row.body,
    mentions: row.mentions.flatMap((id) => users.get(id) ?? []),
    createdAt: row.createdAt.toISOString(),
    editedAt: row.editedAt?.toISOString() ?? null,
  };
}

/** A logged op, checked as the collab engine checks what it reads back. */
function storedOp(version: number, op: unknown): TextOp {
  const parsed = parseOp(op, { maxSize: Number.MAX_SAFE_INTEGER });
  if (!parsed.ok) throw new Error(`Stored op v${version} is not a valid op: ${parsed.error.message}`);
  return parsed.op as TextOp;
}
