import { randomUUID } from "node:crypto";
import type { RequestContext, ServicePrincipal } from "@devflow/auth";
import { type CollabEngine, type DocumentRef, type OpStore } from "@devflow/collab-engine";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  DocJoinSchema,
  DocOpSchema,
  DocRestoreSchema,
  PresenceUpdateInputSchema,
  type DocAccess,
  type DocAck,
  type DocRestored,
  type PresenceLeave,
  type PresenceUpdate,
} from "@devflow/contracts";
import type { DocumentSession, DocumentsService } from "@devflow/domain-documents";
import { REQUEST_ID_HEADER, type Logger } from "@devflow/observability";
import { isAppError } from "@devflow/util-core";
import { type CollabMetrics } from "./collab-metrics";
import { failure, idsOf, invalidPayload, isFailure, rateLimited, toFailure } from "./collab-errors";
import { presenceColour } from "./presence";
import { restoreVersion } from "./restore-version";
import type { CollabSocket } from "./socket-auth";
import { toJoinReply } from "./wire-format";
import type { DocSessionsOptions } from "./doc-sessions";

type Ack = (reply: unknown) => void;

/** Socket.io room of a document's sessions. */
export function roomOf(documentId: string): string {
  return `doc:${documentId}`;
}

export interface SessionDeps {
  engine: CollabEngine;
  documents: Pick<DocumentsService, "openSession">;
  logger: Logger;
  metrics: CollabMetrics;
  presenceByDocument: Map<string, Map<string, PresenceUpdate>>;
  store: OpStore;
  /** Restores larger than one op are sent as several. */
  maxOpSize: number;
  opBucket: { take(): boolean };
  presenceBucket: { take(): boolean };
  accessRecheckMs: number;
  afterOpAcked: DocSessionsOptions["afterOpAcked"];
}

interface JoinedDocument {
  ref: DocumentRef;
  access: DocumentSession;
  /** When `access` was read; older than `accessRecheckMs` means it is read again before an op. */
  checkedAt: number;
  /** The read in flight: an op waits for it rather than go by the rights it may be replacing. */
  rechecking?: Promise<void>;
}

/** One socket's view of the documents it joined, in the spirit of ShareDB's Agent. */
export class Session {
  private readonly joined = new Map<string, JoinedDocument>();
  private readonly principal: ServicePrincipal;
  private readonly logger: Logger;
  private recheckTimer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly socket: CollabSocket,
    private readonly deps: SessionDeps,
  ) {
    this.principal = socket.data.principal;
    this.logger = deps.logger.child({ socketId: socket.id, userId: this.principal.userId });
  }

  listen(): void {
    this.socket.on(COLLAB_EVENTS.join, (payload: unknown, ack?: unknown) => {
      void this.guard(payload, ack, (reply) => this.join(payload, reply));
    });
    this.socket.on(COLLAB_EVENTS.op, (payload: unknown, ack?: unknown) => {
      void this.guard(payload, ack, (reply) => this.op(payload, reply));
    });
    this.socket.on(COLLAB_EVENTS.restore, (payload: unknown, ack?: unknown) => {
      void this.guard(payload, ack, (reply) => this.restore(payload, reply));
    });
    this.socket.on(COLLAB_EVENTS.presence, (payload: unknown) => {
      void this.guard(payload, undefined, (reply) => this.presence(payload, reply));
    });
    this.socket.once("disconnect", () => {
      clearInterval(this.recheckTimer);
      this.leaveAll();
    });
    // Also for idle sockets: a viewer made editor should be able to type without reloading.
    this.recheckTimer = setInterval(() => void this.recheckAll(), this.deps.accessRecheckMs);
    this.recheckTimer.unref?.();
  }

  private async join(payload: unknown, reply: Ack): Promise<void> {
    const parsed = DocJoinSchema.safeParse(payload);
    if (!parsed.success) return reply(invalidPayload(COLLAB_EVENTS.join, parsed.error, idsOf(payload)));
    const { documentId, lastKnownVersion, hasPending } = parsed.data;
    if (!this.deps.opBucket.take()) return reply(rateLimited({ documentId }));

    const access = await this.deps.documents.openSession(this.requestContext(), documentId);
    const ref = { organizationId: this.principal.organizationId, documentId };
    const room = roomOf(documentId);
    // A rejoin gets what it missed in the reply; staying in the room would deliver some ops twice.
    void this.socket.leave(room);
    this.joined.delete(documentId);

    const outcome = await this.deps.engine.join(ref, {
      ...(lastKnownVersion !== undefined && { lastKnownVersion }),
      ...(hasPending !== undefined && { hasPending }),
      // Runs inside the document's queue: no op can be broadcast between the catch-up and the room join.
      onJoined: (result) => {
        if (this.socket.disconnected) return;
        void this.socket.join(room);
        this.joined.set(documentId, { ref, access, checkedAt: Date.now() });
        reply(toJoinReply(documentId, result, access.canEdit));
        for (const update of this.deps.presenceByDocument.get(documentId)?.values() ?? []) {
          if (update.sessionId !== this.socket.id) this.socket.emit(COLLAB_EVENTS.presence, update);
        }
      },
    });
    if (!outcome.ok) reply(toFailure(outcome.error, this.logger, { documentId }));
  }

  private async op(payload: unknown, reply: Ack): Promise<void> {
    const ids = idsOf(payload);
    if (!this.deps.opBucket.take()) {
      this.deps.metrics.ops.inc({ outcome: "rate_limited" });
      return reply(rateLimited(ids));
    }
    const parsed = DocOpSchema.safeParse(payload);
    if (!parsed.success) {
      this.deps.metrics.ops.inc({ outcome: "refused" });
      return reply(invalidPayload(COLLAB_EVENTS.op, parsed.error, ids));
    }
    const { documentId, clientOpId, baseVersion, op } = parsed.data;
    const joined = await this.currentAccess(documentId);
    if (!joined) {
      this.deps.metrics.ops.inc({ outcome: "refused" });
      return reply(failure("validation_failed", `Join document ${documentId} before sending ops`, ids));
    }
    if (!joined.access.canEdit) {
      this.deps.metrics.ops.inc({ outcome: "refused" });
      return reply(failure("forbidden", "You can view this document but not edit it", ids));
    }

    const stopTimer = this.deps.metrics.ackSeconds.startTimer();
    await this.deps.engine.submit(joined.ref, {
      clientOpId,
      baseVersion,
      op,
      userId: this.principal.userId,
      origin: this.socket.id,
      // Synchronous with the broadcasts, so this socket sees its ack in version order.
      onSettled: (outcome) => {
        if (!outcome.ok) {
          this.deps.metrics.ops.inc({ outcome: "refused" });
          return reply(toFailure(outcome.error, this.logger, ids));
        }
        stopTimer();
        this.deps.metrics.ops.inc({ outcome: outcome.duplicate ? "duplicate" : "committed" });
        const ack: DocAck = { v: COLLAB_PROTOCOL_VERSION, ok: true, documentId, clientOpId, version: outcome.version };
        reply(ack);
        if (!outcome.duplicate) {
          const acked = { ctx: this.requestContext(), documentId, op, agent: this.principal.agent };
          this.deps.afterOpAcked?.(acked);
        }
      },
    });
  }

  /** `doc:restore` (see `restoreVersion`). Access is checked afresh: viewers are refused. */
  private async restore(payload: unknown, reply: Ack): Promise<void> {
    const parsed = DocRestoreSchema.safeParse(payload);
    if (!parsed.success) return reply(invalidPayload(COLLAB_EVENTS.restore, parsed.error, idsOf(payload)));
    const { documentId, version } = parsed.data;
    if (!this.deps.opBucket.take()) return reply(rateLimited({ documentId }));
    const joined = this.joined.get(documentId);
    if (!joined)
      return reply(failure("validation_failed", `Join document ${documentId} before restoring it`, { documentId }));
    const access = await this.deps.documents.openSession(this.requestContext(), documentId);
    if (!access.canEdit)
      return reply(failure("forbidden", "You can view this document but not restore it", { documentId }));

    const outcome = await restoreVersion(this.deps, joined.ref, version, this.principal.userId, () =>
      this.deps.metrics.ops.inc({ outcome: "committed" }),
    );
    if (!outcome.ok) {
      return reply(
        outcome.reason === "no_such_version"
          ? failure("not_found", `Document ${documentId} has no version ${version}`, { documentId })
          : toFailure(outcome.error, this.logger, { documentId }),
      );
    }
    this.logger.info({ documentId, restoredVersion: version, ...outcome }, "restored a version");
    const restored: DocRestored = {
      v: COLLAB_PROTOCOL_VERSION,
      ok: true,
      documentId,
      restoredVersion: version,
      version: outcome.version,
      opCount: outcome.opCount,
    };
    reply(restored);
  }

  private async presence(payload: unknown, reply: Ack): Promise<void> {
    const parsed = PresenceUpdateInputSchema.safeParse(payload);
    if (!parsed.success) return reply(invalidPayload(COLLAB_EVENTS.presence, parsed.error, idsOf(payload)));
    const joined = this.joined.get(parsed.data.documentId);
    if (!joined) return;
    // Presence is refreshed constantly; an update over the budget is simply superseded by the next.
    if (!this.deps.presenceBucket.take()) return;
    const { agent } = this.principal;
    const update: PresenceUpdate = {
      ...parsed.data,
      sessionId: this.socket.id,
      // An agent's token names it, so the room sees "Claude via MCP, for Alice" rather than Alice.
      user: agent ? { ...joined.access.user, agent } : joined.access.user,
      colour: presenceColour(joined.access.user.id),
    };
    const documentId = parsed.data.documentId;
    const sessions = this.deps.presenceByDocument.get(documentId) ?? new Map<string, PresenceUpdate>();
    sessions.set(this.socket.id, update);
    this.deps.presenceByDocument.set(documentId, sessions);
    this.socket.to(roomOf(documentId)).emit(COLLAB_EVENTS.presence, update);
  }

  /** The joined document's access, read again first when it is older than `accessRecheckMs`. */
  private async currentAccess(documentId: string): Promise<JoinedDocument | undefined> {
    const joined = this.joined.get(documentId);
    if (joined?.rechecking) await joined.rechecking;
    else if (joined && Date.now() - joined.checkedAt >= this.deps.accessRecheckMs)
      await this.recheck(documentId, joined);
    return this.joined.get(documentId);
  }

  private async recheckAll(): Promise<void> {
    for (const [documentId, joined] of [...this.joined]) {
      if (joined.rechecking || Date.now() - joined.checkedAt < this.deps.accessRecheckMs) continue;
      await this.recheck(documentId, joined).catch((error: unknown) =>
        this.logger.warn({ err: error, documentId }, "could not check document access again"),
      );
    }
  }

  /**
   * Reads the member's rights again. A change of `canEdit` is told to the client (`doc:access`);
   * losing access removes the socket from the room and says why (`collab:error`), so nothing more
   * of the document reaches someone who may no longer read it.
   */
  private recheck(documentId: string, joined: JoinedDocument): Promise<void> {
    joined.rechecking ??= this.readAccessAgain(documentId, joined).finally(() => {
      joined.rechecking = undefined;
      joined.checkedAt = Date.now();
    });
    return joined.rechecking;
  }

  private async readAccessAgain(documentId: string, joined: JoinedDocument): Promise<void> {
    let access: DocumentSession;
    try {
      access = await this.deps.documents.openSession(this.requestContext(), documentId);
    } catch (error) {
      if (!isAppError(error) || (error.code !== "not_found" && error.code !== "forbidden")) throw error;
      if (this.joined.get(documentId) !== joined) return;
      this.leave(documentId);
      const { ok: _ok, ...message } = failure("forbidden", "You no longer have access to this document", {
        documentId,
      });
      this.socket.emit(COLLAB_EVENTS.error, message);
      this.logger.info({ documentId }, "access to a joined document was withdrawn");
      return;
    }
    if (this.joined.get(documentId) !== joined) return;
    const changed = access.canEdit !== joined.access.canEdit;
    joined.access = access;
    if (changed) {
      const message: DocAccess = { v: COLLAB_PROTOCOL_VERSION, documentId, canEdit: access.canEdit };
      this.socket.emit(COLLAB_EVENTS.access, message);
    }
  }

  private leave(documentId: string): void {
    void this.socket.leave(roomOf(documentId));
    this.joined.delete(documentId);
    const sessions = this.deps.presenceByDocument.get(documentId);
    sessions?.delete(this.socket.id);
    if (sessions?.size === 0) this.deps.presenceByDocument.delete(documentId);
    const leave: PresenceLeave = { v: COLLAB_PROTOCOL_VERSION, documentId, sessionId: this.socket.id };
    this.socket.nsp.to(roomOf(documentId)).emit(COLLAB_EVENTS.presenceLeave, leave);
  }

  private leaveAll(): void {
    for (const documentId of [...this.joined.keys()]) this.leave(documentId);
  }

  /** Answers through the ack callback, or `collab:error` when there is none; never throws. */
  private async guard(payload: unknown, ack: unknown, handle: (reply: Ack) => Promise<void>): Promise<void> {
    let replied = false;
    const reply: Ack = (message) => {
      if (replied) return;
      replied = true;
      if (typeof ack === "function") (ack as Ack)(message);
      else if (isFailure(message)) {
        const { ok: _ok, ...error } = message;
        this.socket.emit(COLLAB_EVENTS.error, error);
      }
    };
    try {
      await handle(reply);
    } catch (error) {
      reply(toFailure(error, this.logger, idsOf(payload)));
    }
  }

  private requestContext(): RequestContext {
    const header = this.socket.handshake.headers[REQUEST_ID_HEADER];
    return {
      organizationId: this.principal.organizationId,
      actor: { userId: this.principal.userId, role: this.principal.role },
      requestId: typeof header === "string" ? header : randomUUID(),
      ipAddress: this.socket.handshake.address,
    };
  }
}
