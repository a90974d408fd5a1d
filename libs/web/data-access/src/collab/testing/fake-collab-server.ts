import { apply, normalize, rebase, type TextOp } from "@devflow/collab-ot";
import {
  COLLAB_EVENTS,
  COLLAB_PROTOCOL_VERSION,
  DocJoinSchema,
  DocOpSchema,
  PresenceUpdateInputSchema,
  type CommittedOpDto,
  type PresenceUserDto,
} from "@devflow/contracts";
import type { CollabSocket } from "../collab-socket";

type Listener = (...args: never[]) => void;
type Delivery = () => void;

interface Connection {
  socket: FakeCollabSocket;
  rooms: Set<string>;
}

export interface FakeUser extends PresenceUserDto {
  canEdit: boolean;
  colour: string;
}

/**
 * An in-memory collab server behind a simulated network: one sequencer per document, acks through
 * the emit callback, broadcasts to the rest of the room, dedupe by client op id. Messages queue per
 * connection and direction (in order, as over TCP) and move only when a test delivers them, so a
 * test decides how they interleave and what a dropped connection loses.
 */
export class FakeCollabServer {
  text: string;
  readonly log: CommittedOpDto[] = [];
  /** Ops before this version are forgotten: a rejoin from older gets a snapshot. */
  historyStart = 0;
  /** Refuse handshakes with this code while set. */
  refuseWith: string | null = null;
  /** Added to the version of the next ack only, to play a server that breaks the order. */
  nextAckSkew = 0;
  readonly joins: { socketId: string; lastKnownVersion: number | undefined }[] = [];
  private readonly connections = new Map<string, Connection>();
  private nextSocket = 1;

  constructor(
    readonly documentId: string,
    initialText = "",
  ) {
    this.text = initialText;
  }

  get version(): number {
    return this.historyStart + this.log.length;
  }

  socketFor(user: FakeUser): FakeCollabSocket {
    return new FakeCollabSocket(this, user);
  }

  /** Forgets history so that clients behind the head can only get a snapshot. */
  compactHistory(): void {
    this.historyStart = this.version;
    this.log.length = 0;
  }

  /** @internal */
  accept(socket: FakeCollabSocket): string {
    const id = `socket-${this.nextSocket++}`;
    this.connections.set(id, { socket, rooms: new Set() });
    return id;
  }

  /** @internal */
  drop(socketId: string): void {
    const connection = this.connections.get(socketId);
    if (!connection) return;
    this.connections.delete(socketId);
    if (connection.rooms.has(this.documentId)) {
      this.broadcast(socketId, COLLAB_EVENTS.presenceLeave, {
        v: COLLAB_PROTOCOL_VERSION,
        documentId: this.documentId,
        sessionId: socketId,
      });
    }
  }

  /** @internal */
  handle(socketId: string, user: FakeUser, event: string, payload: unknown, ack?: (reply: unknown) => void): void {
    const connection = this.connections.get(socketId);
    if (!connection) return;
    switch (event) {
      case COLLAB_EVENTS.join: {
        const join = DocJoinSchema.parse(payload);
        this.joins.push({ socketId, lastKnownVersion: join.lastKnownVersion });
        connection.rooms.add(join.documentId);
        const base = { v: COLLAB_PROTOCOL_VERSION, ok: true, documentId: this.documentId, version: this.version };
        const last = join.lastKnownVersion;
        if (last !== undefined && last >= this.historyStart && last <= this.version) {
          ack?.({ ...base, canEdit: user.canEdit, kind: "ops", ops: this.log.slice(last - this.historyStart) });
        } else {
          ack?.({ ...base, canEdit: user.canEdit, kind: "snapshot", text: this.text });
        }
        return;
      }
      case COLLAB_EVENTS.op: {
        const input = DocOpSchema.parse(payload);
        if (!user.canEdit) {
          ack?.(failure("forbidden", "Viewers cannot edit"));
          return;
        }
        const repeat = this.log.find((c) => c.clientOpId === input.clientOpId);
        if (repeat) {
          ack?.(acked(this.documentId, input.clientOpId, repeat.version));
          return;
        }
        const op = rebase(input.op, input.baseVersion, {
          startVersion: this.historyStart,
          ops: this.log.map((c) => c.op),
        });
        this.text = apply(this.text, op);
        const committed: CommittedOpDto = {
          version: this.version + 1,
          op: op as CommittedOpDto["op"],
          clientOpId: input.clientOpId,
          userId: user.id,
        };
        this.log.push(committed);
        ack?.(acked(this.documentId, input.clientOpId, committed.version + this.nextAckSkew));
        this.nextAckSkew = 0;
        this.broadcast(socketId, COLLAB_EVENTS.remoteOp, {
          v: COLLAB_PROTOCOL_VERSION,
          documentId: this.documentId,
          ...committed,
        });
        return;
      }
      case COLLAB_EVENTS.presence: {
        const input = PresenceUpdateInputSchema.parse(payload);
        const { canEdit: _canEdit, colour, ...presenceUser } = user;
        this.broadcast(socketId, COLLAB_EVENTS.presence, { ...input, sessionId: socketId, user: presenceUser, colour });
        return;
      }
    }
  }

  private broadcast(fromSocketId: string, event: string, payload: unknown): void {
    for (const [id, connection] of this.connections) {
      if (id !== fromSocketId && connection.rooms.has(this.documentId)) connection.socket.receive(event, payload);
    }
  }
}

function acked(documentId: string, clientOpId: string, version: number) {
  return { v: COLLAB_PROTOCOL_VERSION, ok: true, documentId, clientOpId, version };
}

function failure(code: string, message: string) {
  return { v: COLLAB_PROTOCOL_VERSION, ok: false, code, message };
}

/** The client end of a simulated connection; implements the socket the session expects. */
export class FakeCollabSocket implements CollabSocket {
  connected = false;
  active = false;
  id: string | undefined = undefined;
  private readonly listeners = new Map<string, Set<Listener>>();
  /** Client → server messages not yet delivered. */
  private readonly outbound: Delivery[] = [];
  /** Server → client messages not yet delivered. */
  private readonly inbound: Delivery[] = [];
  private connecting = false;

  constructor(
    private readonly server: FakeCollabServer,
    readonly user: FakeUser,
  ) {}

  get pending(): number {
    return this.outbound.length + this.inbound.length;
  }

  connect(): void {
    if (this.connected || this.connecting) return;
    this.active = true;
    this.connecting = true;
    this.outbound.push(() => {
      this.connecting = false;
      if (this.server.refuseWith) {
        const code = this.server.refuseWith;
        this.active = false;
        this.inbound.push(() =>
          this.fire("connect_error", Object.assign(new Error(code), { data: { code, message: code } })),
        );
        return;
      }
      const id = this.server.accept(this);
      this.inbound.push(() => {
        this.id = id;
        this.connected = true;
        this.fire("connect");
      });
    });
  }

  disconnect(): void {
    this.active = false;
    this.close("io client disconnect");
  }

  /** The transport died: whatever was in flight either way is lost; Socket.io would reconnect by itself. */
  dropTransport(): void {
    this.close("transport close");
  }

  /** Socket.io's own reconnect after `dropTransport`. */
  reconnect(): void {
    this.connect();
  }

  on(event: string, listener: Listener): this {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return this;
  }

  off(event: string, listener: Listener): this {
    this.listeners.get(event)?.delete(listener);
    return this;
  }

  emit(event: string, payload: unknown, ack?: (reply: unknown) => void): this {
    if (!this.connected) return this;
    const socketId = this.id!;
    const clonedPayload = structuredClone(payload);
    this.outbound.push(() =>
      this.server.handle(
        socketId,
        this.user,
        event,
        clonedPayload,
        ack && ((reply) => this.inbound.push(() => ack(structuredClone(reply)))),
      ),
    );
    return this;
  }

  /** Queues a message from the server, as a broadcast would. */
  receive(event: string, payload: unknown): void {
    const cloned = structuredClone(payload);
    this.inbound.push(() => this.fire(event, cloned));
  }

  /** Delivers the oldest message one way; false when there was none. */
  deliverOne(direction: "out" | "in"): boolean {
    const next = (direction === "out" ? this.outbound : this.inbound).shift();
    next?.();
    return next !== undefined;
  }

  private close(reason: string): void {
    const wasOpen = this.connected || this.connecting;
    this.outbound.length = 0;
    this.inbound.length = 0;
    this.connecting = false;
    if (this.id) this.server.drop(this.id);
    this.connected = false;
    this.id = undefined;
    if (wasOpen) this.fire("disconnect", reason);
  }

  private fire(event: string, ...args: unknown[]): void {
    for (const listener of [...(this.listeners.get(event) ?? [])]) (listener as (...a: unknown[]) => void)(...args);
  }
}

/** A random number generator with a seed, so a failing interleaving can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Delivers queued messages in a random order across sockets, each connection's own order kept. */
export function deliverRandomly(sockets: readonly FakeCollabSocket[], random: () => number, steps = Infinity): void {
  for (let i = 0; i < steps; i++) {
    const ready = sockets.filter((socket) => socket.pending > 0);
    if (ready.length === 0) return;
    const socket = ready[Math.floor(random() * ready.length)]!;
    const direction = random() < 0.5 ? "out" : "in";
    if (!socket.deliverOne(direction)) socket.deliverOne(direction === "out" ? "in" : "out");
  }
}

/** A random edit of `text` (ASCII and a few BMP characters, so no surrogate pair is ever split). */
export function randomEdit(text: string, random: () => number): TextOp {
  const alphabet = "abcdefghij \néü中";
  const at = Math.floor(random() * (text.length + 1));
  const roll = random();
  if (roll < 0.6 || text.length === 0) {
    let insert = "";
    const n = 1 + Math.floor(random() * 4);
    for (let i = 0; i < n; i++) insert += alphabet[Math.floor(random() * alphabet.length)];
    return normalize([at, insert]);
  }
  const from = Math.min(at, text.length - 1);
  return normalize([from, { d: Math.min(text.length - from, 1 + Math.floor(random() * 5)) }]);
}
