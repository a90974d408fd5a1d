import { apply, type TextOp } from "@devflow/collab-ot";
import { COLLAB_EVENTS, COLLAB_PROTOCOL_VERSION } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { CollabSession } from "./collab-session";
import type { CollabSessionError, CollabTimers } from "./collab-session-types";
import type { RemotePresence } from "./remote-presences";
import {
  FakeCollabServer,
  deliverRandomly,
  randomEdit,
  seededRandom,
  type FakeCollabSocket,
  type FakeUser,
} from "./testing/fake-collab-server";

const DOCUMENT_ID = "6f1c2d0e-8a4b-4c2d-9e7f-1a2b3c4d5e6f";

function user(n: number, canEdit = true): FakeUser {
  return {
    id: `00000000-0000-4000-8000-00000000000${n}`,
    name: `User ${n}`,
    avatarUrl: null,
    canEdit,
    colour: "#336699",
  };
}

/** Timers that only run when the test says so. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 1;
  const timers: CollabTimers = {
    setTimeout: (callback) => {
      due.set(next, callback);
      return next++;
    },
    clearTimeout: (handle) => {
      due.delete(handle as number);
    },
  };
  return {
    timers,
    runAll() {
      const callbacks = [...due.values()];
      due.clear();
      for (const callback of callbacks) callback();
    },
  };
}

/** An editor stand-in: its text, kept by applying what the session tells it. */
class Peer {
  text = "";
  resets = 0;
  hadUnsentEdits = false;
  readonly errors: CollabSessionError[] = [];
  presence: readonly RemotePresence[] = [];
  readonly session: CollabSession;
  private clientIds = 0;

  constructor(
    readonly socket: FakeCollabSocket,
    timers: CollabTimers,
    readonly name: string,
  ) {
    this.session = new CollabSession({
      documentId: DOCUMENT_ID,
      socket,
      timers,
      retryDelayMs: () => 0,
      newClientId: () => `${name}-${++this.clientIds}`,
    });
    this.session.on("reset", ({ text, hadUnsentEdits }) => {
      this.text = text;
      this.resets += 1;
      this.hadUnsentEdits ||= hadUnsentEdits;
    });
    this.session.on("remoteOp", ({ op }) => {
      this.text = apply(this.text, op);
    });
    this.session.on("error", (error) => this.errors.push(error));
    this.session.on("presence", (presence) => (this.presence = presence));
    this.session.start();
  }

  type(op: TextOp): void {
    if (this.session.applyLocal(op)) this.text = apply(this.text, op);
  }

  typeRandomly(random: () => number): void {
    this.type(randomEdit(this.text, random));
  }
}

function setUp(count: number, initialText = "Hello") {
  const server = new FakeCollabServer(DOCUMENT_ID, initialText);
  const clock = manualTimers();
  const peers = Array.from({ length: count }, (_, i) => new Peer(server.socketFor(user(i + 1)), clock.timers, `p${i}`));
  const sockets = peers.map((p) => p.socket);
  const settle = () => {
    for (let round = 0; round < 50; round++) {
      deliverRandomly(sockets, seededRandom(round));
      if (sockets.every((s) => s.pending === 0)) return;
    }
    throw new Error("The network did not settle");
  };
  return { server, clock, peers, sockets, settle };
}

function expectConverged(server: FakeCollabServer, peers: readonly Peer[]): void {
  for (const peer of peers) {
    expect(peer.text, peer.name).toBe(server.text);
    expect(peer.session.state.version, peer.name).toBe(server.version);
    expect(peer.session.state.syncState, peer.name).toBe("saved");
  }
  const ids = server.log.map((c) => c.clientOpId);
  expect(new Set(ids).size, "every op is applied once").toBe(ids.length);
}

describe("CollabSession", () => {
  it("joins with a snapshot and reports the document saved", () => {
    const { server, peers, settle } = setUp(1, "# Plan");
    expect(peers[0]!.session.state.status).toBe("connecting");
    settle();
    expect(peers[0]!.text).toBe("# Plan");
    expect(peers[0]!.session.state).toMatchObject({ status: "ready", syncState: "saved", canEdit: true, version: 0 });
    expect(server.joins).toEqual([{ socketId: "socket-1", lastKnownVersion: undefined }]);
  });

  it("reports syncing until the op is acked, then saved", () => {
    const { peers, sockets, settle } = setUp(1, "");
    settle();
    const [peer] = peers;
    peer!.type(["abc"]);
    expect(peer!.session.state).toMatchObject({ syncState: "syncing", hasUnsentEdits: true });
    sockets[0]!.deliverOne("out");
    expect(peer!.session.state.syncState).toBe("syncing");
    sockets[0]!.deliverOne("in");
    expect(peer!.session.state).toMatchObject({ syncState: "saved", hasUnsentEdits: false, version: 1 });
  });

  it("makes several sessions typing at once converge on the server's text", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(seed);
      const { server, peers, sockets, settle } = setUp(3, "The quick brown fox");
      settle();
      for (let step = 0; step < 150; step++) {
        const peer = peers[Math.floor(random() * peers.length)]!;
        if (random() < 0.5) peer.typeRandomly(random);
        deliverRandomly(sockets, random, Math.floor(random() * 4));
      }
      settle();
      expectConverged(server, peers);
      expect(server.log.length).toBeGreaterThan(0);
    }
  });

  it("keeps edits made offline and sends them once after a reconnect", () => {
    const { server, peers, sockets, settle } = setUp(2, "shared text");
    settle();
    const [a, b] = peers as [Peer, Peer];
    a.socket.dropTransport();
    expect(a.session.state).toMatchObject({ status: "offline", syncState: "offline" });
    a.type(["offline "]);
    a.type([6, { d: 3 }]);
    b.type([11, " from b"]);
    settle();
    expect(a.session.state).toMatchObject({ syncState: "offline", hasUnsentEdits: true });
    a.socket.reconnect();
    settle();
    expectConverged(server, peers);
    expect(server.text).toContain("from b");
    expect(server.text.startsWith("offlin")).toBe(true);
    expect(server.joins.at(-1)?.lastKnownVersion).toBe(0);
    expect(sockets.every((s) => s.pending === 0)).toBe(true);
  });

  it("converges through random drops that lose ops and acks in flight", () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = seededRandom(1000 + seed);
      const { server, peers, sockets, settle } = setUp(3, "start");
      settle();
      for (let step = 0; step < 200; step++) {
        const peer = peers[Math.floor(random() * peers.length)]!;
        const roll = random();
        if (roll < 0.5) peer.typeRandomly(random);
        else if (roll < 0.53) peer.socket.dropTransport();
        else if (roll < 0.6 && !peer.socket.connected) peer.socket.reconnect();
        deliverRandomly(sockets, random, Math.floor(random() * 5));
      }
      for (const peer of peers) peer.socket.reconnect();
      settle();
      expectConverged(server, peers);
    }
  });

  it("rejoins when a remote op arrives out of order, without losing local edits", () => {
    const { server, peers, settle } = setUp(2, "abc");
    settle();
    const [a, b] = peers as [Peer, Peer];
    b.type([3, "d"]);
    settle();
    a.type(["X"]);
    // A remote op that skips versions: a broken or reordered stream.
    a.socket.receive(COLLAB_EVENTS.remoteOp, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId: DOCUMENT_ID,
      version: server.version + 5,
      op: [1, "?"],
      clientOpId: "someone:1",
      userId: user(9).id,
    });
    settle();
    expect(a.errors.some((e) => e.code === "protocol")).toBe(true);
    expect(server.joins.filter((j) => j.socketId === a.socket.id)).toHaveLength(2);
    expectConverged(server, peers);
    expect(server.text).toBe("Xabcd");
  });

  it("rejoins when an ack carries the wrong version, and the resent op is applied once", () => {
    const { server, peers, settle } = setUp(2, "abc");
    settle();
    const [a] = peers as [Peer, Peer];
    server.nextAckSkew = 3;
    a.type([3, "!"]);
    settle();
    expect(a.errors.map((e) => e.code)).toContain("protocol");
    expect(server.joins.filter((j) => j.socketId === a.socket.id)).toHaveLength(2);
    expectConverged(server, peers);
    expect(server.text).toBe("abc!");
  });

  it("rejoins and resends an op the server refused as unavailable, keeping the local edits", () => {
    const { server, clock, peers, settle } = setUp(2, "abc");
    settle();
    const [a, b] = peers as [Peer, Peer];
    const handle = server.handle.bind(server);
    let refusals = 0;
    server.handle = (socketId, from, event, payload, ack) => {
      if (event !== COLLAB_EVENTS.op || refusals > 0) return handle(socketId, from, event, payload, ack);
      refusals += 1;
      const { clientOpId } = payload as { clientOpId: string };
      ack?.({
        v: COLLAB_PROTOCOL_VERSION,
        ok: false,
        code: "unavailable",
        message: "No owner",
        documentId: DOCUMENT_ID,
        clientOpId,
      });
    };
    a.type([3, "!"]);
    settle();
    expect(a.errors.map((e) => e.code)).toEqual(["unavailable"]);
    expect(a.session.state.hasUnsentEdits).toBe(true);
    b.type(["X"]);
    a.type([4, "?"]);
    settle();
    clock.runAll();
    settle();
    expect(refusals).toBe(1);
    expect(a.resets).toBe(1);
    expect(server.joins.filter((j) => j.socketId === a.socket.id)).toHaveLength(2);
    expectConverged(server, peers);
    expect(server.text).toBe("Xabc!?");
  });

  it("takes a snapshot after rejoining when the server no longer has the missing history", () => {
    const { server, peers, settle } = setUp(2, "one");
    settle();
    const [a, b] = peers as [Peer, Peer];
    a.socket.dropTransport();
    b.type([3, " two"]);
    settle();
    server.compactHistory();
    a.socket.reconnect();
    settle();
    expect(a.resets).toBe(2);
    expect(a.hadUnsentEdits).toBe(false);
    expectConverged(server, peers);
  });

  it("opens read-only for viewers and refuses their edits", () => {
    const server = new FakeCollabServer(DOCUMENT_ID, "read me");
    const clock = manualTimers();
    const viewer = new Peer(server.socketFor(user(1, false)), clock.timers, "viewer");
    while (viewer.socket.deliverOne("out") || viewer.socket.deliverOne("in"));
    expect(viewer.session.state).toMatchObject({ status: "ready", canEdit: false });
    expect(viewer.text).toBe("read me");
    expect(viewer.session.applyLocal(["x"])).toBe(false);
  });

  it("follows a role change told by the server: editable once promoted, read-only once demoted", () => {
    const server = new FakeCollabServer(DOCUMENT_ID, "read me");
    const clock = manualTimers();
    const member = user(1, false);
    const peer = new Peer(server.socketFor(member), clock.timers, "member");
    const settle = () => {
      while (peer.socket.deliverOne("out") || peer.socket.deliverOne("in"));
    };
    settle();
    expect(peer.session.state.canEdit).toBe(false);

    member.canEdit = true;
    peer.socket.receive(COLLAB_EVENTS.access, { v: COLLAB_PROTOCOL_VERSION, documentId: DOCUMENT_ID, canEdit: true });
    // Another document's change is not this session's.
    peer.socket.receive(COLLAB_EVENTS.access, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId: "0b9e2c7a-1d3f-4e5a-8b6c-7d8e9f0a1b2c",
      canEdit: false,
    });
    settle();
    expect(peer.session.state.canEdit).toBe(true);
    peer.type(["now "]);
    settle();
    expect(server.text).toBe("now read me");
    expect(peer.session.state.syncState).toBe("saved");

    member.canEdit = false;
    peer.socket.receive(COLLAB_EVENTS.access, { v: COLLAB_PROTOCOL_VERSION, documentId: DOCUMENT_ID, canEdit: false });
    settle();
    expect(peer.session.state.canEdit).toBe(false);
    expect(peer.session.applyLocal(["x"])).toBe(false);
  });

  it("shows where others are, moved over the edits made since", () => {
    const { peers, settle } = setUp(2, "0123456789");
    settle();
    const [a, b] = peers as [Peer, Peer];
    b.session.setSelection({ anchor: 5, head: 8 });
    settle();
    expect(a.presence).toMatchObject([{ user: { name: "User 2" }, selection: { anchor: 5, head: 8 } }]);
    a.type(["ab"]);
    expect(a.presence[0]?.selection).toEqual({ anchor: 7, head: 10 });
    settle();
    b.socket.dropTransport();
    settle();
    expect(a.presence).toEqual([]);
  });

  it("asks for a new token when the handshake's token is refused, then connects", () => {
    const server = new FakeCollabServer(DOCUMENT_ID, "x");
    const clock = manualTimers();
    server.refuseWith = "unauthenticated";
    let refused = 0;
    const socket = server.socketFor(user(1));
    const session = new CollabSession({
      documentId: DOCUMENT_ID,
      socket,
      timers: clock.timers,
      retryDelayMs: () => 0,
      onTokenRejected: () => (refused += 1),
    });
    session.start();
    while (socket.deliverOne("out") || socket.deliverOne("in"));
    expect(refused).toBe(1);
    expect(session.state).toMatchObject({ status: "connecting", error: { code: "unauthenticated" } });
    server.refuseWith = null;
    clock.runAll();
    while (socket.deliverOne("out") || socket.deliverOne("in"));
    expect(session.state).toMatchObject({ status: "ready", error: null });
  });

  it("stops with a fatal error when the document cannot be opened", () => {
    const server = new FakeCollabServer(DOCUMENT_ID, "x");
    const clock = manualTimers();
    server.refuseWith = "forbidden";
    const peer = new Peer(server.socketFor(user(1)), clock.timers, "p");
    while (peer.socket.deliverOne("out") || peer.socket.deliverOne("in"));
    expect(peer.session.state).toMatchObject({ status: "failed", error: { code: "forbidden", fatal: true } });
  });
});
