import { randomUUID } from "node:crypto";
import { COLLAB_EVENTS, COLLAB_PROTOCOL_VERSION, type DocRestoreReply } from "@devflow/contracts";
import { createDocumentsService } from "@devflow/domain-documents";
import { describe, expect, it } from "vitest";
import { useCollabTestServer } from "./testing/collab-test-server";
import { useCollabWorkspace } from "./testing/collab-workspace";
import { request, TestEditor } from "./testing/test-editor";

const w = useCollabWorkspace();
const collab = useCollabTestServer(() => w.t.db);
const startServer = collab.start;
const tokenFor = collab.tokenFor;

async function editor(url: string, documentId: string, token: string, name: string): Promise<TestEditor> {
  const e = new TestEditor(url, token, documentId, `${name}-${randomUUID().slice(0, 8)}`);
  await e.connect();
  collab.onCleanup(() => e.drop());
  await e.join();
  return e;
}

function restore(e: TestEditor, version: number, documentId = e.documentId): Promise<DocRestoreReply> {
  return request<DocRestoreReply>(e.socket!, COLLAB_EVENTS.restore, {
    v: COLLAB_PROTOCOL_VERSION,
    documentId,
    version,
  });
}

async function stored(documentId: string) {
  return w.t.db.withTenant(w.acme.ctx, (tx) =>
    tx.document.findUniqueOrThrow({ where: { id: documentId }, select: { content: true, version: true } }),
  );
}

describe("restoring a version over Socket.io", () => {
  it("applies the restore as new ops that reach every connected editor, who converge on the old text", async () => {
    const url = await startServer();
    const documents = createDocumentsService(w.t.db);
    const documentId = (
      await documents.create(w.acme.ctx, w.projectId, { title: "Doc", kind: "rfc", content: "# Plan\nship it\n" })
    ).id;
    const a = await editor(url, documentId, await tokenFor(w.acme.owner.id, w.acme.organization.id, "owner"), "a");
    const b = await editor(url, documentId, await tokenFor(w.member.userId, w.acme.organization.id, "member"), "b");

    a.edit([7, "carefully "]);
    await expect.poll(() => a.isSynced && b.text === a.text).toBe(true);
    const versionOne = (await stored(documentId)).version;
    const textOne = a.text;
    b.edit([b.text.length, "\n## Risks\nnone 😀\n"]);
    b.edit([{ d: 6 }, "# Roadmap"]);
    await expect.poll(() => b.isSynced && a.text === b.text).toBe(true);
    expect(a.text).not.toBe(textOne);

    const remoteBefore = b.remoteVersions.length;
    const reply = await restore(a, versionOne);
    expect(reply).toMatchObject({ ok: true, documentId, restoredVersion: versionOne, opCount: 1 });
    const head = await stored(documentId);
    expect(head.content).toBe(textOne);
    expect(reply.ok && reply.version).toBe(head.version);
    await expect.poll(() => a.text === textOne && b.text === textOne).toBe(true);
    expect(b.remoteVersions.length).toBe(remoteBefore + 1);
    expect(a.ot!.version).toBe(head.version);
    expect(b.ot!.version).toBe(head.version);

    // The restore is history like any edit: restoring the newest version again changes nothing.
    expect(await restore(b, head.version)).toMatchObject({ ok: true, opCount: 0, version: head.version });
    expect(await restore(b, 0)).toMatchObject({ ok: true, opCount: 1 });
    await expect.poll(() => a.text === "# Plan\nship it\n" && b.text === a.text).toBe(true);
    const ops = await w.t.db.withTenant(w.acme.ctx, (tx) =>
      tx.documentOperation.findMany({ where: { documentId }, orderBy: { version: "asc" }, select: { userId: true } }),
    );
    expect(ops.at(-1)!.userId).toBe(w.member.userId);
    expect(ops.at(-2)!.userId).toBe(w.acme.owner.id);
  });

  it("refuses viewers, unknown versions, unjoined documents and other organizations' documents", async () => {
    const url = await startServer();
    const documents = createDocumentsService(w.t.db);
    const documentId = (await documents.create(w.acme.ctx, w.projectId, { title: "Doc", kind: "rfc", content: "x" }))
      .id;
    const owner = await editor(url, documentId, await tokenFor(w.acme.owner.id, w.acme.organization.id, "owner"), "o");
    owner.edit([1, "y"]);
    await expect.poll(() => owner.isSynced).toBe(true);
    const v = await editor(url, documentId, await tokenFor(w.viewer.userId, w.acme.organization.id, "viewer"), "v");
    expect(await restore(v, 0)).toMatchObject({ ok: false, code: "forbidden" });
    expect(await restore(owner, 99)).toMatchObject({ ok: false, code: "not_found" });
    expect(await restore(owner, 0, randomUUID())).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await request(owner.socket!, COLLAB_EVENTS.restore, { v: 1, documentId })).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    const stranger = new TestEditor(
      url,
      await tokenFor(w.globex.owner.id, w.globex.organization.id, "owner"),
      documentId,
      "stranger",
    );
    await stranger.connect();
    collab.onCleanup(() => stranger.drop());
    expect(await stranger.join()).toMatchObject({ ok: false, code: "not_found" });
    expect(await restore(stranger, 0)).toMatchObject({ ok: false, code: "validation_failed" });
    expect((await stored(documentId)).content).toBe("xy");
  });

  it("sends a restore larger than one op as several, and everyone still converges", async () => {
    const url = await startServer({
      opRateLimit: { burst: 10_000, perSecond: 10_000 },
      engine: { sequencer: { maxOpSize: 64 } },
    });
    const documents = createDocumentsService(w.t.db);
    const original = Array.from({ length: 20 }, (_, i) => `line ${i} of the original text\n`).join("");
    const documentId = (
      await documents.create(w.acme.ctx, w.projectId, { title: "Big", kind: "rfc", content: original })
    ).id;
    const a = await editor(url, documentId, await tokenFor(w.acme.owner.id, w.acme.organization.id, "owner"), "a");
    const b = await editor(url, documentId, await tokenFor(w.member.userId, w.acme.organization.id, "member"), "b");
    a.edit([{ d: original.length }, "gone"]);
    await expect.poll(() => a.isSynced && b.text === "gone").toBe(true);
    const reply = await restore(b, 0);
    expect(reply.ok && reply.opCount).toBeGreaterThan(1);
    await expect.poll(() => a.text === original && b.text === original).toBe(true);
    expect((await stored(documentId)).content).toBe(original);
  });
});
