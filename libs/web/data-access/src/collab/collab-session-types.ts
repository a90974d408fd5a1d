import type { TextOp } from "@devflow/collab-ot";
import type { DocRestored, ErrorCode } from "@devflow/contracts";
import type { CollabSocket } from "./collab-socket";
import type { RemotePresence } from "./remote-presences";

/**
 * - `connecting`: no connection yet, or waiting for the first one after a refusal.
 * - `joining`: connected, waiting for `doc:join` (and its catch-up) to answer.
 * - `ready`: joined; edits go out as they are made.
 * - `offline`: the connection dropped after a join; edits are kept and sent on reconnect.
 * - `failed`: the document cannot be opened (not found, no access); only `retry()` tries again.
 */
export type CollabStatus = "connecting" | "joining" | "ready" | "offline" | "failed";

/** What the editor shows: every edit durable (`saved`), some on their way (`syncing`), or kept locally (`offline`). */
export type SyncState = "saved" | "syncing" | "offline";

export interface CollabSessionError {
  /** A contracts error code, or `protocol` when the server's messages arrived out of order. */
  code: ErrorCode | "protocol";
  message: string;
  /** True when the session stopped trying (status `failed`). */
  fatal: boolean;
}

export interface CollabSessionState {
  status: CollabStatus;
  syncState: SyncState;
  canEdit: boolean;
  /** The server version the text includes, once joined. */
  version: number | null;
  /** Local edits not yet acknowledged as durable: warn before the page is left. */
  hasUnsentEdits: boolean;
  error: CollabSessionError | null;
}

export interface CollabSessionEvents {
  /** Replace the whole text: the first join, or a rejoin that could not resume from the editor's version. */
  reset: { text: string; version: number; canEdit: boolean; hadUnsentEdits: boolean };
  /** Apply this op to the editor's text as it is now (already transformed over unsent local edits). */
  remoteOp: { op: TextOp; version: number; userId: string };
  ack: { version: number; clientOpId: string };
  state: CollabSessionState;
  presence: readonly RemotePresence[];
  error: CollabSessionError;
}

export interface CollabTimers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface CollabSessionOptions {
  documentId: string;
  /** A socket that is not connected yet; the session connects, reconnects and finally closes it. */
  socket: CollabSocket;
  /** Called when the server refused the handshake's token, so the next attempt fetches a new one. */
  onTokenRejected?: () => void;
  /** Makes the client ids; defaults to `crypto.randomUUID`. */
  newClientId?: () => string;
  /** How long to wait for `doc:join` to answer before asking again. */
  joinTimeoutMs?: number;
  /** The delay before reconnect attempt `attempt` (0-based) that the session makes itself. */
  retryDelayMs?: (attempt: number) => number;
  timers?: CollabTimers;
}

/** How a restore went: done (its ops arrive as remote ops like anyone's edits) or refused. */
export type RestoreResult = DocRestored | { ok: false; code: ErrorCode | "unavailable"; message: string };
