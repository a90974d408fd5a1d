import type { NotificationType } from "@devflow/contracts";

/** What a comment event says about who might be told, before access and preferences are checked. */
export interface CommentAudience {
  authorId: string;
  /** People the comment (newly) mentions, in the order written. */
  mentionedUserIds: readonly string[];
  isReply: boolean;
  /** An edit that mentions new people: only they are told. */
  isEdit: boolean;
  /** Authors of the thread's earlier comments (the first one included), oldest first, repeats allowed. */
  earlierParticipantIds: readonly string[];
}

export interface CommentRecipient {
  userId: string;
  type: Extract<NotificationType, "comment.mentioned" | "comment.replied">;
}

/**
 * Who hears of a comment, and as what: everyone it mentions ("mentioned you"), then — for a reply
 * that was just posted — everyone who wrote in the thread before ("replied in a thread you are
 * in"). Each person once, a mention winning over a reply since it is the more specific reason;
 * never the author, who knows.
 */
export function selectCommentRecipients(audience: CommentAudience): CommentRecipient[] {
  const chosen = new Map<string, CommentRecipient["type"]>();
  const add = (userId: string, type: CommentRecipient["type"]) => {
    if (userId !== audience.authorId && !chosen.has(userId)) chosen.set(userId, type);
  };
  for (const userId of audience.mentionedUserIds) add(userId, "comment.mentioned");
  if (audience.isReply && !audience.isEdit) {
    for (const userId of audience.earlierParticipantIds) add(userId, "comment.replied");
  }
  return [...chosen].map(([userId, type]) => ({ userId, type }));
}

/**
 * Who hears that a project was shared with them: the people the event names, each once, in its
 * order; never the person who shared it (the producer leaves them out already; an event is not
 * trusted to).
 */
export function selectShareRecipients(data: { sharedById: string; userIds: readonly string[] }): string[] {
  return [...new Set(data.userIds)].filter((userId) => userId !== data.sharedById);
}
