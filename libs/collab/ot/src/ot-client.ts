import { transformSelection, type Selection } from "./positions";
import { compose, isNoop, normalize, transform, type TextOp } from "./text-op";

export type OtClientState = "synchronized" | "awaiting-confirm" | "awaiting-with-buffer";

/** What goes out as `doc:op`: the op, the server version it was made against and its idempotency key. */
export interface OutgoingOp {
  clientOpId: string;
  baseVersion: number;
  op: TextOp;
}

/** What the editor does with a remote op: apply `op` to its text, then emit `send` if there is one. */
export interface RemoteOpResult {
  /** The remote op rewritten for the editor's text (which still holds unconfirmed local edits). */
  op: TextOp;
  /** The buffered edits, ready to go out because the remote op confirmed the op in flight. */
  send: OutgoingOp | null;
}

export interface OtClientOptions {
  /** Unique per editor session (a random id): client op ids are `${clientId}:${sequence}`. */
  clientId: string;
  /** The server version of the text the editor starts from (join result or snapshot). */
  version: number;
  /** How many recent server ops to keep for placing presence reported at an older version. */
  recentOpsLimit?: number;
}

export type OtProtocolErrorReason = "ack_out_of_order" | "unexpected_ack" | "remote_out_of_order";

/**
 * The server broke the protocol's ordering: an ack or a remote op whose version is not the next
 * one, or an ack for an op that is not in flight. Nothing was applied; the editor should rejoin
 * the document rather than continue on text that may have diverged.
 */
export class OtProtocolError extends Error {
  override readonly name = "OtProtocolError";

  constructor(
    readonly reason: OtProtocolErrorReason,
    message: string,
    readonly expectedVersion: number,
    readonly receivedVersion: number,
    readonly clientOpId?: string,
  ) {
    super(message);
  }
}

interface InFlight {
  clientOpId: string;
  sequence: number;
  op: TextOp;
}

/**
 * The browser half of the protocol: one op in flight at a time, later edits composed into a
 * buffer, remote ops transformed over both. Feed it events in the order the socket delivers
 * them, from plain ack callbacks and listeners; awaiting an ack lets a remote op run first and
 * the texts diverge. Every ack and remote op must carry the next version, or `OtProtocolError`
 * is thrown and the state is left as it was.
 */
export class OtClient {
  readonly clientId: string;
  private serverVersion: number;
  private inFlight: InFlight | null = null;
  private buffer: TextOp | null = null;
  private sequence = 0;
  private online = true;
  /** Server ops ending at `serverVersion`, in the server's own form, for `localizeSelection`. */
  private readonly recentOps: TextOp[] = [];
  private readonly recentOpsLimit: number;

  constructor(options: OtClientOptions) {
    if (options.clientId.length === 0) throw new Error("clientId must not be empty");
    if (!Number.isSafeInteger(options.version) || options.version < 0) {
      throw new Error(`Version must be a non-negative integer, got ${options.version}`);
    }
    this.clientId = options.clientId;
    this.serverVersion = options.version;
    this.recentOpsLimit = options.recentOpsLimit ?? 200;
  }

  /** The last server version the editor's text includes. Join with it as `lastKnownVersion`. */
  get version(): number {
    return this.serverVersion;
  }

  get state(): OtClientState {
    if (this.inFlight === null) return "synchronized";
    return this.buffer === null ? "awaiting-confirm" : "awaiting-with-buffer";
  }

  /** True while some local edit is not yet durable on the server (warn before leaving the page). */
  get hasUnconfirmedEdits(): boolean {
    return this.inFlight !== null;
  }

  /** The op in flight (or waiting for a reconnect), rebased to the current version. */
  get pending(): OutgoingOp | null {
    return this.inFlight && this.outgoing(this.inFlight);
  }

  /** Local edits made while an op was in flight, composed into one op. */
  get buffered(): TextOp | null {
    return this.buffer;
  }

  /**
   * Records an edit the user already made in the editor. Returns the op to emit now, or null when
   * it was buffered (an op is already in flight, or the socket is down).
   */
  applyLocal(op: TextOp): OutgoingOp | null {
    const edit = normalize(op);
    if (isNoop(edit)) return null;
    if (this.inFlight === null) {
      this.inFlight = this.nextInFlight(edit);
      return this.online ? this.outgoing(this.inFlight) : null;
    }
    this.buffer = this.buffer === null ? edit : compose(this.buffer, edit);
    return null;
  }

  /**
   * Handles the server's ack for the op in flight, committed at `version`. Returns the buffered
   * edits to emit next, or null. A repeated ack for an op already confirmed (the server dedupes a
   * resend after a reconnect) is ignored.
   */
  onAck(version: number, clientOpId: string): OutgoingOp | null {
    const expected = this.serverVersion + 1;
    if (this.inFlight === null || clientOpId !== this.inFlight.clientOpId) {
      if (this.isConfirmed(clientOpId) && version <= this.serverVersion) return null;
      throw new OtProtocolError(
        "unexpected_ack",
        `Ack for ${clientOpId} at v${version}, but ${this.inFlight?.clientOpId ?? "no op"} is in flight`,
        expected,
        version,
        clientOpId,
      );
    }
    if (version !== expected) {
      throw new OtProtocolError(
        "ack_out_of_order",
        `Ack for ${clientOpId} at v${version}; expected v${expected}`,
        expected,
        version,
        clientOpId,
      );
    }
    return this.confirmInFlight();
  }

  /**
   * Handles an op someone else committed at `version`. Returns it rewritten for the editor's text;
   * the editor maps its own selection through that op (CodeMirror does so when it applies the
   * change; otherwise use `transformSelection`). When `clientOpId` is this client's op in flight
   * (catch-up after a reconnect replays it), it counts as the ack.
   */
  onRemote(op: TextOp, version: number, clientOpId?: string): RemoteOpResult {
    const expected = this.serverVersion + 1;
    if (version !== expected) {
      throw new OtProtocolError(
        "remote_out_of_order",
        `Remote op at v${version}; expected v${expected}`,
        expected,
        version,
        clientOpId,
      );
    }
    if (this.inFlight !== null && clientOpId === this.inFlight.clientOpId) {
      return { op: [], send: this.confirmInFlight() };
    }

    let remote = op;
    if (this.inFlight !== null) {
      const mine = this.inFlight.op;
      this.inFlight = { ...this.inFlight, op: transform(mine, remote, "right") };
      remote = transform(remote, mine, "left");
    }
    if (this.buffer !== null) {
      const mine = this.buffer;
      const rebased = transform(mine, remote, "right");
      // Someone else already made these edits (say, deleted the same text): nothing left to send.
      this.buffer = isNoop(rebased) ? null : rebased;
      remote = transform(remote, mine, "left");
    }
    this.advance(op);
    return { op: remote, send: null };
  }

  /** The socket dropped: keep every edit, send nothing until `resendPending`. */
  disconnect(): void {
    this.online = false;
  }

  /**
   * After a reconnect, once the join's catch-up ops went through `onRemote`: returns the op that
   * was in flight, rebased to the current version under the same client op id so the server can
   * recognise it if it was already committed, or null when nothing is pending.
   */
  resendPending(): OutgoingOp | null {
    this.online = true;
    return this.pending;
  }

  /**
   * Places a selection another user reported at server `version` onto this editor's text: over
   * the server ops since then, then over the local edits not yet confirmed. Null when `version` is
   * ahead of this client (wait for the ops) or older than the ops it keeps.
   */
  localizeSelection(selection: Selection, version: number): Selection | null {
    const behind = this.serverVersion - version;
    if (behind < 0 || behind > this.recentOps.length) return null;
    let result = selection;
    for (const op of this.recentOps.slice(this.recentOps.length - behind)) result = transformSelection(result, op);
    if (this.inFlight !== null) result = transformSelection(result, this.inFlight.op);
    if (this.buffer !== null) result = transformSelection(result, this.buffer);
    return result;
  }

  /**
   * The server version to report this client's own selection at, or null while local edits are
   * unconfirmed: the selection then refers to text the server does not have yet. Report it again
   * when an ack brings the client back to `synchronized`.
   */
  presenceVersion(): number | null {
    return this.inFlight === null ? this.serverVersion : null;
  }

  private confirmInFlight(): OutgoingOp | null {
    const confirmed = this.inFlight!;
    this.advance(confirmed.op);
    this.inFlight = null;
    if (this.buffer === null) return null;
    this.inFlight = this.nextInFlight(this.buffer);
    this.buffer = null;
    return this.online ? this.outgoing(this.inFlight) : null;
  }

  private advance(committed: TextOp): void {
    this.serverVersion += 1;
    this.recentOps.push(committed);
    if (this.recentOps.length > this.recentOpsLimit) this.recentOps.shift();
  }

  private nextInFlight(op: TextOp): InFlight {
    this.sequence += 1;
    return { clientOpId: `${this.clientId}:${this.sequence}`, sequence: this.sequence, op };
  }

  private outgoing(inFlight: InFlight): OutgoingOp {
    return { clientOpId: inFlight.clientOpId, baseVersion: this.serverVersion, op: inFlight.op };
  }

  private isConfirmed(clientOpId: string): boolean {
    const prefix = `${this.clientId}:`;
    if (!clientOpId.startsWith(prefix)) return false;
    const sequence = Number(clientOpId.slice(prefix.length));
    const pendingFrom = this.inFlight?.sequence ?? this.sequence + 1;
    return Number.isSafeInteger(sequence) && sequence >= 1 && sequence < pendingFrom;
  }
}
