import { describe, expect, it } from "vitest";
import { selectCommentRecipients, selectShareRecipients, type CommentAudience } from "./recipients";

const AUTHOR = "author";
const audience = (overrides: Partial<CommentAudience> = {}): CommentAudience => ({
  authorId: AUTHOR,
  mentionedUserIds: [],
  isReply: false,
  isEdit: false,
  earlierParticipantIds: [],
  ...overrides,
});

describe("selectCommentRecipients", () => {
  it("tells everyone a new thread mentions, in the order written, and nobody else", () => {
    expect(selectCommentRecipients(audience({ mentionedUserIds: ["bo", "cy"] }))).toEqual([
      { userId: "bo", type: "comment.mentioned" },
      { userId: "cy", type: "comment.mentioned" },
    ]);
    expect(selectCommentRecipients(audience())).toEqual([]);
  });

  it("tells a reply's earlier participants once each, whatever they wrote", () => {
    const picked = selectCommentRecipients(
      audience({ isReply: true, earlierParticipantIds: ["bo", "cy", "bo", "cy", "dee"] }),
    );
    expect(picked).toEqual([
      { userId: "bo", type: "comment.replied" },
      { userId: "cy", type: "comment.replied" },
      { userId: "dee", type: "comment.replied" },
    ]);
  });

  it("never tells the author, as a participant or as someone they mention", () => {
    const picked = selectCommentRecipients(
      audience({ isReply: true, mentionedUserIds: [AUTHOR, "bo"], earlierParticipantIds: [AUTHOR, "cy"] }),
    );
    expect(picked.map((r) => r.userId)).toEqual(["bo", "cy"]);
  });

  it("tells a participant who is also mentioned once, as mentioned", () => {
    const picked = selectCommentRecipients(
      audience({ isReply: true, mentionedUserIds: ["cy", "cy"], earlierParticipantIds: ["bo", "cy"] }),
    );
    expect(picked).toEqual([
      { userId: "cy", type: "comment.mentioned" },
      { userId: "bo", type: "comment.replied" },
    ]);
  });

  it("tells only the newly mentioned of an edit, even of a reply", () => {
    const picked = selectCommentRecipients(
      audience({ isReply: true, isEdit: true, mentionedUserIds: ["eve"], earlierParticipantIds: ["bo"] }),
    );
    expect(picked).toEqual([{ userId: "eve", type: "comment.mentioned" }]);
  });

  it("ignores participants of a thread's first comment (there are none before it)", () => {
    expect(selectCommentRecipients(audience({ isReply: false, earlierParticipantIds: ["bo"] }))).toEqual([]);
  });
});

describe("selectShareRecipients", () => {
  it("tells each person the event names once, in its order, never the one who shared", () => {
    expect(selectShareRecipients({ sharedById: "ada", userIds: ["bo", "ada", "cy", "bo"] })).toEqual(["bo", "cy"]);
  });
});
