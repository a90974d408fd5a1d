import type { RequestContext } from "@devflow/auth";
import { createCollabEngine, type CollabEngine, type CollabEngineOptions, type OpStore } from "@devflow/collab-engine";
import { COLLAB_EVENTS, type DocOp, type PresenceUpdate } from "@devflow/contracts";
import { MAX_OP_SIZE_DEFAULT } from "@devflow/collab-ot";
import type { DocumentsService } from "@devflow/domain-documents";
import { type Logger } from "@devflow/observability";
import type { Registry } from "prom-client";
import { createMetrics } from "./collab-metrics";
import { createTokenBucket, OP_RATE_LIMIT, PRESENCE_RATE_LIMIT, type TokenBucketOptions } from "./rate-limit";
import type { CollabIo } from "./socket-auth";
import { toRemoteOp } from "./wire-format";
import { roomOf, Session } from "./doc-session";

export interface DocSessionsOptions {
  store: OpStore;
  /** Checks who may open which document (membership, project visibility, role). */
  documents: Pick<DocumentsService, "openSession">;
  logger: Logger;
  /** Where `devflow_collab_ops_total` and the ack latency histogram register. */
  registry?: Registry;
  /** Engine tuning (snapshot interval, idle timeout, sequencer limits). */
  engine?: Omit<CollabEngineOptions, "store" | "onCommitted" | "onError">;
  opRateLimit?: TokenBucketOptions;
  presenceRateLimit?: TokenBucketOptions;
  /** How often a joined document's access is checked again (role changes, removal, archiving). */
  accessRecheckMs?: number;
  /** Called after a socket's op is acked as durable (not a repeat, never a restore); must return at once. */
  afterOpAcked?: (acked: AckedOp) => void;
}

/** An op a socket sent, now durable: who sent it (`agent` when a program typed for them) and what it was. */
export interface AckedOp {
  ctx: RequestContext;
  documentId: string;
  op: DocOp["op"];
  agent?: string | undefined;
}

/**
 * A role change or a removal reaches open sockets within this long: their token still names the
 * old role, so the membership is read again. Once per document per socket, so cheap.
 */
export const ACCESS_RECHECK_MS = 30_000;

export interface DocSessions {
  readonly engine: CollabEngine;
  /** Drains every document's queue and writes snapshots; call after sockets are closed. */
  close(): Promise<void>;
}

export { roomOf } from "./doc-session";

/**
 * The document session handlers, one `Session` per socket: `doc:join`, `doc:op`,
 * `presence:update`, and `presence:leave` on disconnect. Each handler parses its payload with the
 * contracts schema, asks the domain or the engine, and answers through the ack callback (or
 * `collab:error` when the client gave none). Nothing a client sends can end its connection.
 */
export function attachDocSessions(io: CollabIo, options: DocSessionsOptions): DocSessions {
  const { logger, documents } = options;
  const metrics = createMetrics(options.registry);
  /** The last presence of every session, so a newcomer sees who is already here. */
  const presenceByDocument = new Map<string, Map<string, PresenceUpdate>>();

  const engine = createCollabEngine({
    ...options.engine,
    store: options.store,
    onCommitted: (ref, op, origin) => {
      let broadcast = io.to(roomOf(ref.documentId));
      // Only the sending socket: the author's other tabs need the op like everyone else.
      if (origin !== undefined) broadcast = broadcast.except(origin);
      broadcast.emit(COLLAB_EVENTS.remoteOp, toRemoteOp(ref.documentId, op));
    },
    onError: (ref, error, message) => logger.error({ err: error, documentId: ref.documentId }, message),
  });

  io.on("connection", (socket) => {
    const session = new Session(socket, {
      engine,
      documents,
      logger,
      metrics,
      presenceByDocument,
      store: options.store,
      maxOpSize: options.engine?.sequencer?.maxOpSize ?? MAX_OP_SIZE_DEFAULT,
      opBucket: createTokenBucket(options.opRateLimit ?? OP_RATE_LIMIT),
      presenceBucket: createTokenBucket(options.presenceRateLimit ?? PRESENCE_RATE_LIMIT),
      accessRecheckMs: options.accessRecheckMs ?? ACCESS_RECHECK_MS,
      afterOpAcked: options.afterOpAcked,
    });
    session.listen();
  });

  return { engine, close: () => engine.close() };
}
