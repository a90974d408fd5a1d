import { randomUUID } from "node:crypto";
import {
  COLLAB_PROTOCOL_VERSION,
  COMMENT_EVENTS,
  CommentChangedSchema,
  CommentDeletedSchema,
  type CommentChanged,
  type CommentDeleted,
  type CommentDeletedReply,
  type CommentListReply,
  type CommentThreadReply,
} from "@devflow/contracts";
import { createDocumentsService } from "@devflow/domain-documents";
import type { Socket } from "socket.io-client";
import { describe, expect, it } from "vitest";
import { useCollabTestServer } from "./testing/collab-test-server";
import { useCollabWorkspace } from "./testing/collab-workspace";
import { openSocket, request, TestEditor } from "./testing/test-editor";

const TEXT = "# Retries\n\nRetry three times with backoff.\n";

const w = useCollabWorkspace();
const collab = useCollabTestServer(() => w.t.db);

async function newDocument(): Promise<string> {
  return (
    await createDocumentsService(w.t.db).create(w.acme.ctx, w.projectId, {
      title: "Retries",
      kind: "rfc",
      content: TEXT,
    })
  ).id;
}

/** An editor that joined the document, with every comment broadcast it receives. */
async function joined(url: string, documentId: string, userId: string, role: "owner" | "member" | "viewer") {
  const e = new TestEditor(url, await collab.tokenFor(userId, w.acme.organization.id, role), documentId, role);
  await e.connect();
  collab.onCleanup(() => e.drop());
  expect(await e.join()).toMatchObject({ ok: true });
  const changed: CommentChanged[] = [];
  const deleted: CommentDeleted[] = [];
  e.socket!.on(COMMENT_EVENTS.changed, (payload: unknown) => changed.push(CommentChangedSchema.parse(payload)));
  e.socket!.on(COMMENT_EVENTS.deleted, (payload: unknown) => deleted.push(CommentDeletedSchema.parse(payload)));
  return { editor: e, socket: e.socket!, changed, deleted };
}

const selection = (text: string, needle: string, version: number) => ({
  from: text.indexOf(needle),
  to: text.indexOf(needle) + needle.length,
  version,
});

function create(
  socket: Socket,
  documentId: string,
  body: string,
  anchor: { from: number; to: number; version: number },
) {
  return request<CommentThreadReply>(socket, COMMENT_EVENTS.create, {
    v: COLLAB_PROTOCOL_VERSION,
    documentId,
    body,
    anchor,
    mentions: [],
  });
}

describe("comments over Socket.io", () => {
  it("shows one person's new thread, reply, resolve and delete to everyone else in the document at once", async () => {
    const url = await collab.start();
    const documentId = await newDocument();
    const a = await joined(url, documentId, w.acme.owner.id, "owner");
    const b = await joined(url, documentId, w.member.userId, "member");

    const created = await create(a.socket, documentId, "Why three?", selection(TEXT, "three times", 0));
    expect(created).toMatchObject({ ok: true, documentId, thread: { quote: "three times", status: "open" } });
    if (!created.ok) throw new Error(created.message);
    const threadId = created.thread.id;
    await expect.poll(() => b.changed.map((m) => m.thread.id)).toEqual([threadId]);
    // The sender has the thread in its ack; the room's broadcast skips it.
    expect(a.changed).toEqual([]);

    const replied = await request<CommentThreadReply>(b.socket, COMMENT_EVENTS.reply, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      threadId,
      body: "Matches the SLO",
    });
    expect(replied).toMatchObject({ ok: true });
    await expect
      .poll(() => a.changed.at(-1)?.thread.comments.map((c) => c.body))
      .toEqual(["Why three?", "Matches the SLO"]);

    expect(
      await request(a.socket, COMMENT_EVENTS.resolve, { v: COLLAB_PROTOCOL_VERSION, documentId, threadId }),
    ).toMatchObject({ ok: true, thread: { status: "resolved" } });
    await expect.poll(() => b.changed.at(-1)?.thread.status).toBe("resolved");

    const deleted = await request<CommentDeletedReply>(a.socket, COMMENT_EVENTS.delete, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      commentId: threadId,
    });
    expect(deleted).toEqual({ v: 1, ok: true, documentId, threadId, commentId: threadId });
    await expect.poll(() => b.deleted).toEqual([{ v: 1, documentId, threadId, commentId: threadId }]);
    const list = await request<CommentListReply>(b.socket, COMMENT_EVENTS.list, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
    });
    expect(list).toMatchObject({ ok: true, list: { items: [] } });
  });

  it("lists threads with anchors moved over edits made in the room since", async () => {
    const url = await collab.start();
    const documentId = await newDocument();
    const a = await joined(url, documentId, w.acme.owner.id, "owner");
    const b = await joined(url, documentId, w.viewer.userId, "viewer");
    const created = await create(b.socket, documentId, "Backoff how?", selection(TEXT, "backoff", 0));
    expect(created).toMatchObject({ ok: true });

    a.editor.edit(["Status: draft\n"]);
    await expect.poll(() => a.editor.isSynced && b.editor.text === a.editor.text).toBe(true);
    const list = await request<CommentListReply>(b.socket, COMMENT_EVENTS.list, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
    });
    if (!list.ok) throw new Error(list.message);
    const [thread] = list.list.items;
    expect(thread!.anchor.version).toBe(b.editor.ot!.version);
    expect(b.editor.text.slice(thread!.anchor.from, thread!.anchor.to)).toBe("backoff");
  });

  it("refuses sockets that did not join the document, bad payloads, other organizations and floods", async () => {
    const url = await collab.start();
    const documentId = await newDocument();
    const a = await joined(url, documentId, w.acme.owner.id, "owner");

    const unjoined = await openSocket(url, await collab.tokenFor(w.member.userId, w.acme.organization.id, "member"));
    collab.onCleanup(() => unjoined.disconnect());
    expect(await create(unjoined, documentId, "Sneaky", selection(TEXT, "Retry", 0))).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    expect(await create(a.socket, documentId, "", selection(TEXT, "Retry", 0))).toMatchObject({
      ok: false,
      code: "validation_failed",
      message: expect.stringContaining("body"),
    });
    expect(await create(a.socket, documentId, "Empty", { from: 3, to: 3, version: 0 })).toMatchObject({
      ok: false,
      code: "validation_failed",
    });

    const stranger = new TestEditor(
      url,
      await collab.tokenFor(w.globex.owner.id, w.globex.organization.id, "owner"),
      documentId,
      "stranger",
    );
    await stranger.connect();
    collab.onCleanup(() => stranger.drop());
    expect(await stranger.join()).toMatchObject({ ok: false, code: "not_found" });
    expect(await create(stranger.socket!, documentId, "Hello", selection(TEXT, "Retry", 0))).toMatchObject({
      ok: false,
      code: "validation_failed",
    });

    const replies = await Promise.all(
      Array.from({ length: 25 }, () =>
        request<CommentListReply>(a.socket, COMMENT_EVENTS.list, { v: COLLAB_PROTOCOL_VERSION, documentId }),
      ),
    );
    expect(replies.filter((r) => !r.ok && r.code === "rate_limited").length).toBeGreaterThan(0);
    const stored = await w.t.db.withTenant(w.acme.ctx, (tx) => tx.comment.count({ where: { documentId } }));
    expect(stored).toBe(0);
  });

  it("answers a comment event sent without an ack callback through collab:error", async () => {
    const url = await collab.start();
    const documentId = await newDocument();
    const a = await joined(url, documentId, w.acme.owner.id, "owner");
    a.socket.emit(COMMENT_EVENTS.resolve, { v: COLLAB_PROTOCOL_VERSION, documentId, threadId: randomUUID() });
    await expect.poll(() => a.editor.errors.at(-1)).toMatchObject({ code: "not_found", documentId });
  });
});
