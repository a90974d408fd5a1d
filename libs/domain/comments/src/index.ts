export { createCommentsService } from "./comments.service";
export type { CommentChange, CommentRemoval, CommentsService, CommentsServiceOptions } from "./comments.service";
export { moveAnchor } from "./anchor";
export type { Anchor, VersionedOp } from "./anchor";
