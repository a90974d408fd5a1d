import { z } from "zod";
import { DOCUMENT_CONTENT_MAX } from "./documents";
import { ErrorCodeSchema } from "./errors";
import { SERVICE_TOKEN_AGENT_MAX } from "./service-tokens";

/**
 * The live-editing wire protocol (Socket.io). Every payload carries `v`; fields are only ever
 * added as optional, so a client and a server one release apart still understand each other.
 * Acks travel as Socket.io acknowledgement callbacks of `doc:join` and `doc:op`, on the same
 * connection as the broadcasts, so a client sees acks and remote ops in version order.
 */
export const COLLAB_PROTOCOL_VERSION = 1;

export const COLLAB_EVENTS = {
  /** client → server, acknowledged with `DocJoinReply`. */
  join: "doc:join",
  /** client → server, acknowledged with `DocOpReply`. */
  op: "doc:op",
  /** server → clients in the room, except the author's socket. */
  remoteOp: "doc:remote-op",
  /** client → server as `PresenceUpdateInput`; server → the room as `PresenceUpdate`. */
  presence: "presence:update",
  /** server → the room when a session leaves the document. */
  presenceLeave: "presence:leave",
  /** server → client, for failures that have no callback to answer (e.g. access revoked). */
  error: "collab:error",
  /**
   * client → server, acknowledged with `DocRestoreReply`: bring the text back to an earlier
   * version with new ops, which reach everyone in the room (the requester too) as remote ops.
   */
  restore: "doc:restore",
  /**
   * server → client, as `DocAccess`: the member's rights on a joined document changed (a role
   * change, an archived document). Losing access altogether comes as `collab:error` `forbidden`.
   */
  access: "doc:access",
} as const;
export type CollabEventName = (typeof COLLAB_EVENTS)[keyof typeof COLLAB_EVENTS];

/**
 * Largest op in "size" units: inserted UTF-16 code units plus one per component. Equal to
 * `MAX_OP_SIZE_DEFAULT` in `@devflow/collab-ot`, whose `opSize` counts the same way; a paste
 * above it has to be sent as several ops.
 */
export const COLLAB_OP_SIZE_MAX = 262_144;
export const CLIENT_OP_ID_MAX = 128;

const ProtocolVersionSchema = z.literal(COLLAB_PROTOCOL_VERSION);
const VersionSchema = z.number().int().nonnegative();
const OffsetSchema = z.number().int().nonnegative();
const CountSchema = z.number().int().positive();
const ClientOpIdSchema = z.string().min(1).max(CLIENT_OP_ID_MAX);

// A lone surrogate half would let an op build or split a pair the editor cannot show.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * One ot-text component: a skip (count), an insert (text) or a delete (`{ d: count }`). Counts
 * and offsets are UTF-16 code units, as in CodeMirror.
 */
export const TextOpComponentSchema = z.union([
  CountSchema,
  z
    .string()
    .min(1)
    .refine((s) => !LONE_SURROGATE.test(s), "Inserted text contains half of a surrogate pair"),
  z.strictObject({ d: CountSchema }),
]);
export type TextOpComponentDto = z.infer<typeof TextOpComponentSchema>;

/**
 * An ot-text op as sent on the wire: the shapes `parseOp` in `@devflow/collab-ot` accepts. Checks
 * that need the document (length, surrogate pairs at op boundaries, the 1 MB limit) happen on the
 * server after the op is rebased.
 */
export const TextOpSchema = z
  .array(TextOpComponentSchema)
  .max(COLLAB_OP_SIZE_MAX)
  .refine(
    (op) => op.reduce<number>((size, c) => size + 1 + (typeof c === "string" ? c.length : 0), 0) <= COLLAB_OP_SIZE_MAX,
    `An op may insert and hold at most ${COLLAB_OP_SIZE_MAX} characters and components`,
  );
export type TextOpDto = z.infer<typeof TextOpSchema>;

/** Offsets in UTF-16 code units; `head` is the caret and may come before `anchor`. */
export const SelectionSchema = z.object({ anchor: OffsetSchema, head: OffsetSchema });
export type SelectionDto = z.infer<typeof SelectionSchema>;

/** An op as it was committed: catch-up entries and `doc:remote-op` share this shape. */
export const CommittedOpSchema = z.object({
  /** The version this op produced. */
  version: VersionSchema,
  op: TextOpSchema,
  clientOpId: ClientOpIdSchema,
  userId: z.uuid(),
});
export type CommittedOpDto = z.infer<typeof CommittedOpSchema>;

export const CollabErrorSchema = z.object({
  v: ProtocolVersionSchema,
  code: ErrorCodeSchema,
  message: z.string(),
  documentId: z.uuid().optional(),
  clientOpId: ClientOpIdSchema.optional(),
});
export type CollabError = z.infer<typeof CollabErrorSchema>;

const FailedReplySchema = CollabErrorSchema.extend({ ok: z.literal(false) });

export const DocJoinSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  /** The version the client's text is at, after a reconnect; absent on a first open. */
  lastKnownVersion: VersionSchema.optional(),
  /**
   * With `lastKnownVersion`: true when the client holds edits the server has not acked, so it must
   * get catch-up ops and never a replacement text (or an error once those ops are no longer kept);
   * false lets a client far behind take the text. Absent: ops while they are kept, else the text.
   */
  hasPending: z.boolean().optional(),
});
export type DocJoin = z.infer<typeof DocJoinSchema>;

const JoinedSchema = z.object({
  v: ProtocolVersionSchema,
  ok: z.literal(true),
  documentId: z.uuid(),
  /** The head version; the client continues from here. */
  version: VersionSchema,
  /** False for viewers: the server refuses their ops. */
  canEdit: z.boolean(),
});

/**
 * The answer to `doc:join`: the text at `version` for a first open or a client too far behind
 * the retained history, otherwise the ops since `lastKnownVersion`, in order.
 */
export const DocJoinResultSchema = z.discriminatedUnion("kind", [
  JoinedSchema.extend({ kind: z.literal("snapshot"), text: z.string().max(DOCUMENT_CONTENT_MAX) }),
  JoinedSchema.extend({ kind: z.literal("ops"), ops: z.array(CommittedOpSchema) }),
]);
export type DocJoinResult = z.infer<typeof DocJoinResultSchema>;

export const DocJoinReplySchema = z.union([DocJoinResultSchema, FailedReplySchema]);
export type DocJoinReply = z.infer<typeof DocJoinReplySchema>;

export const DocOpSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  /** `${clientId}:${sequence}`; resending after a reconnect reuses it so the op is applied once. */
  clientOpId: ClientOpIdSchema,
  /** The server version the op was made against. */
  baseVersion: VersionSchema,
  op: TextOpSchema,
});
export type DocOp = z.infer<typeof DocOpSchema>;

/** The op is durable at `version`. A repeat of an already committed op is acked with its original version. */
export const DocAckSchema = z.object({
  v: ProtocolVersionSchema,
  ok: z.literal(true),
  documentId: z.uuid(),
  clientOpId: ClientOpIdSchema,
  version: VersionSchema,
});
export type DocAck = z.infer<typeof DocAckSchema>;

export const DocOpReplySchema = z.discriminatedUnion("ok", [DocAckSchema, FailedReplySchema]);
export type DocOpReply = z.infer<typeof DocOpReplySchema>;

export const DocRemoteOpSchema = CommittedOpSchema.extend({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
});
export type DocRemoteOp = z.infer<typeof DocRemoteOpSchema>;

/** A client's own caret/selection, on the server's text at `version`; null when the editor lost focus. */
export const PresenceUpdateInputSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  version: VersionSchema,
  selection: SelectionSchema.nullable(),
});
export type PresenceUpdateInput = z.infer<typeof PresenceUpdateInputSchema>;

export const PresenceUserSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  avatarUrl: z.string().nullable(),
  /**
   * Set when a program acts for the person (from their service token), e.g. "Claude via MCP":
   * shown as "Claude via MCP, for Alice". Absent for people typing themselves.
   */
  agent: z.string().max(SERVICE_TOKEN_AGENT_MAX).optional(),
});
export type PresenceUserDto = z.infer<typeof PresenceUserSchema>;

/** Someone's selection as the room sees it. Presence is transformed with the ops and never stored. */
export const PresenceUpdateSchema = PresenceUpdateInputSchema.extend({
  /** One per socket: the same person may have the document open twice. */
  sessionId: z.string().min(1).max(CLIENT_OP_ID_MAX),
  user: PresenceUserSchema,
  /** `#rrggbb`, chosen by the server so everyone shows a person in the same colour. */
  colour: z.string().regex(/^#[0-9a-f]{6}$/i),
});
export type PresenceUpdate = z.infer<typeof PresenceUpdateSchema>;

export const PresenceLeaveSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  sessionId: z.string().min(1).max(CLIENT_OP_ID_MAX),
});
export type PresenceLeave = z.infer<typeof PresenceLeaveSchema>;

export const DocRestoreSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  /** The version whose text the document should have again. */
  version: VersionSchema,
});
export type DocRestore = z.infer<typeof DocRestoreSchema>;

/**
 * The restore is durable: `version` is the head after its ops (unchanged, with `opCount` 0, when
 * the text already was the restored one). Edits made meanwhile by others are kept on top.
 */
export const DocRestoredSchema = z.object({
  v: ProtocolVersionSchema,
  ok: z.literal(true),
  documentId: z.uuid(),
  restoredVersion: VersionSchema,
  version: VersionSchema,
  opCount: z.number().int().nonnegative(),
});
export type DocRestored = z.infer<typeof DocRestoredSchema>;

export const DocRestoreReplySchema = z.discriminatedUnion("ok", [DocRestoredSchema, FailedReplySchema]);
export type DocRestoreReply = z.infer<typeof DocRestoreReplySchema>;

/** Sent when a joined document's rights change; the client follows `canEdit` from then on. */
export const DocAccessSchema = z.object({
  v: ProtocolVersionSchema,
  documentId: z.uuid(),
  canEdit: z.boolean(),
});
export type DocAccess = z.infer<typeof DocAccessSchema>;
