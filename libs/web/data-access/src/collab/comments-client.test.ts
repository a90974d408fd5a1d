import { COMMENT_EVENTS, type CommentThreadDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import type { CollabSession } from "./collab-session";
import type { CollabSessionState } from "./collab-session-types";
import type { CollabSocket } from "./collab-socket";
import { CommentsClient } from "./comments-client";
import { Emitter } from "./emitter";

const DOCUMENT_ID = "6f1c2d0e-8a4b-4c2d-9e7f-1a2b3c4d5e6f";
const AUTHOR = { id: "00000000-0000-4000-8000-000000000001", name: "Ada", avatarUrl: null };

function thread(
  n: number,
  from: number,
  updatedAt = "2026-11-29T10:00:00.000Z",
  body = `comment ${n}`,
): CommentThreadDto {
  const id = `00000000-0000-4000-8000-0000000001${String(n).padStart(2, "0")}`;
  return {
    id,
    documentId: DOCUMENT_ID,
    status: "open",
    anchor: { from, to: from + 3, version: 4 },
    isOutdated: false,
    quote: "abc",
    resolvedAt: null,
    comments: [{ id, author: AUTHOR, body, mentions: [], createdAt: "2026-11-29T10:00:00.000Z", editedAt: null }],
    createdAt: "2026-11-29T10:00:00.000Z",
    updatedAt,
  };
}

/** A socket whose emits are recorded and answered by the test. */
class FakeSocket implements CollabSocket {
  connected = true;
  active = true;
  id = "socket-1";
  readonly sent: { event: string; payload: Record<string, unknown>; ack?: (reply: unknown) => void }[] = [];
  private readonly listeners = new Map<string, ((raw: unknown) => void)[]>();
  connect() {}
  disconnect() {}
  on(event: string, listener: (...args: never[]) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener as (raw: unknown) => void]);
  }
  off() {}
  emit(event: string, payload: unknown, ack?: (reply: unknown) => void) {
    this.sent.push({ event, payload: payload as Record<string, unknown>, ...(ack && { ack }) });
  }
  receive(event: string, payload: unknown) {
    for (const listener of this.listeners.get(event) ?? []) listener(payload);
  }
  last(event: string) {
    return this.sent.filter((s) => s.event === event).at(-1)!;
  }
}

/** The two things the client reads from a session: its state and state changes. */
function fakeSession(initial: Partial<CollabSessionState>) {
  const events = new Emitter<{ state: CollabSessionState }>();
  let state: CollabSessionState = {
    status: "ready",
    syncState: "saved",
    canEdit: true,
    version: 4,
    hasUnsentEdits: false,
    error: null,
    ...initial,
  };
  const session = {
    get state() {
      return state;
    },
    on: (_event: "state", listener: (s: CollabSessionState) => void) => events.on("state", listener),
  } as unknown as CollabSession;
  return {
    session,
    set(next: Partial<CollabSessionState>) {
      state = { ...state, ...next };
      events.emit("state", state);
    },
  };
}

function started(initial: Partial<CollabSessionState> = {}) {
  const socket = new FakeSocket();
  const fake = fakeSession(initial);
  const client = new CommentsClient({ documentId: DOCUMENT_ID, socket, session: fake.session });
  client.start();
  return { socket, client, ...fake };
}

describe("CommentsClient", () => {
  it("lists threads once joined and keeps broadcasts that arrive before the list answers", () => {
    const { socket, client } = started();
    expect(client.state.status).toBe("loading");
    const list = socket.last(COMMENT_EVENTS.list);
    socket.receive(COMMENT_EVENTS.changed, { v: 1, documentId: DOCUMENT_ID, thread: thread(2, 40) });
    list.ack!({ v: 1, ok: true, list: { documentId: DOCUMENT_ID, version: 4, items: [thread(1, 10)] } });
    expect(client.state.status).toBe("ready");
    expect(client.state.threads.map((t) => t.anchor.from)).toEqual([10, 40]);
  });

  it("ignores an older copy of a thread and removes deleted replies and threads", () => {
    const { socket, client } = started();
    socket.last(COMMENT_EVENTS.list).ack!({
      v: 1,
      ok: true,
      list: { documentId: DOCUMENT_ID, version: 4, items: [thread(1, 10, "2026-11-29T11:00:00.000Z", "new")] },
    });
    socket.receive(COMMENT_EVENTS.changed, {
      v: 1,
      documentId: DOCUMENT_ID,
      thread: thread(1, 10, "2026-11-29T10:00:00.000Z", "old"),
    });
    expect(client.state.threads[0]!.comments[0]!.body).toBe("new");
    const id = client.state.threads[0]!.id;
    socket.receive(COMMENT_EVENTS.deleted, { v: 1, documentId: DOCUMENT_ID, threadId: id, commentId: id });
    expect(client.state.threads).toEqual([]);
  });

  it("lists again after every rejoin", () => {
    const { socket, set } = started();
    set({ status: "offline" });
    set({ status: "ready" });
    expect(socket.sent.filter((s) => s.event === COMMENT_EVENTS.list)).toHaveLength(2);
  });

  it("reads the selection only once local edits are confirmed, with the version they reached", async () => {
    const { socket, client, set } = started({ hasUnsentEdits: true, version: 7 });
    let reads = 0;
    const created = client.createThread({
      body: "Why?",
      mentions: [],
      readSelection: () => {
        reads += 1;
        return { from: 2, to: 5 };
      },
    });
    await Promise.resolve();
    expect(reads).toBe(0);
    set({ hasUnsentEdits: false, version: 8 });
    await expect.poll(() => socket.sent.some((s) => s.event === COMMENT_EVENTS.create)).toBe(true);
    const sent = socket.last(COMMENT_EVENTS.create);
    expect(sent.payload).toMatchObject({
      documentId: DOCUMENT_ID,
      body: "Why?",
      anchor: { from: 2, to: 5, version: 8 },
    });
    sent.ack!({ v: 1, ok: true, documentId: DOCUMENT_ID, thread: thread(3, 2) });
    expect(await created).toMatchObject({ ok: true });
    expect(client.state.threads.map((t) => t.id)).toContain(thread(3, 2).id);
  });

  it("reports the server's refusal as it came", async () => {
    const { socket, client } = started();
    const resolved = client.resolve(thread(1, 0).id);
    socket.last(COMMENT_EVENTS.resolve).ack!({ v: 1, ok: false, code: "forbidden", message: "No" });
    expect(await resolved).toEqual({ ok: false, code: "forbidden", message: "No" });
  });
});
