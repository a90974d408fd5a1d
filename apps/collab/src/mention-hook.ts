import { mentionedUserIds, type TextOpDto } from "@devflow/contracts";
import type { Database } from "@devflow/db";
import { recordDocumentMentions } from "@devflow/domain-documents";
import type { Logger } from "@devflow/observability";
import type { AckedOp } from "./doc-sessions";

export interface MentionRecorderOptions {
  db: Database;
  logger: Logger;
  /** The domain call, replaceable in tests. */
  record?: typeof recordDocumentMentions;
}

export interface MentionRecorder {
  /** The `afterOpAcked` hook of doc sessions. Returns at once and never throws. */
  afterOpAcked(acked: AckedOp): void;
  /** Resolves once every recording already started has finished (shutdown, tests). */
  idle(): Promise<void>;
}

/**
 * The people whose mention tokens an op inserts. Only the op's inserted strings are read, never the
 * document: a token counts when one edit inserted it whole, which is how the editor's completion
 * and a paste write it (a token typed character by character mentions nobody, and that is fine).
 */
export function mentionsInsertedBy(op: TextOpDto): string[] {
  return mentionedUserIds(op.filter((c): c is string => typeof c === "string"));
}

/**
 * `afterOpAcked`: when a person's op (not an agent's, not a restore, not a repeat) inserted mention
 * tokens, records them with the documents domain (which checks who may be told, and tells each
 * person at most once an hour). It runs after the ack has left, off the document's queue: a slow or
 * failing database delays and fails no edit, and a failure is only logged.
 */
export function createMentionRecorder({
  db,
  logger,
  record = recordDocumentMentions,
}: MentionRecorderOptions): MentionRecorder {
  const running = new Set<Promise<void>>();
  return {
    afterOpAcked({ ctx, documentId, op, agent }) {
      if (agent !== undefined) return;
      const userIds = mentionsInsertedBy(op);
      if (userIds.length === 0) return;
      const task = Promise.resolve()
        .then(() => record(db, ctx, documentId, userIds))
        .then(
          (told) => {
            if (told.length > 0)
              logger.debug({ documentId, mentioned: told.length }, "recorded mentions in a document");
          },
          (error: unknown) =>
            logger.error(
              { err: error, documentId, userId: ctx.actor.userId },
              "could not record mentions in a document",
            ),
        )
        .finally(() => running.delete(task));
      running.add(task);
    },
    async idle() {
      await Promise.all([...running]);
    },
  };
}
