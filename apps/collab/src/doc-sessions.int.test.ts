import { randomUUID } from "node:crypto";
import { COLLAB_EVENTS, COLLAB_PROTOCOL_VERSION, type DocJoinReply } from "@devflow/contracts";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { useCollabTestServer } from "./testing/collab-test-server";
import { openSocket, request, TestEditor } from "./testing/test-editor";
import { randomEdit, seeded } from "@devflow/collab-engine/testing";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let member: { userId: string; name: string };
let viewer: { userId: string; name: string };
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const m = await acme.addMember("member", "Mia Member");
  const v = await acme.addMember("viewer", "Vic Viewer");
  member = { userId: m.user.id, name: "Mia Member" };
  viewer = { userId: v.user.id, name: "Vic Viewer" };
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

const collab = useCollabTestServer(() => t.db);
const startServer = collab.start;
const tokenFor = collab.tokenFor;

const ownerToken = () => tokenFor(acme.owner.id, acme.organization.id, "owner");

async function newDocument(content = "", inProject = projectId): Promise<string> {
  const doc = await createDocumentsService(t.db).create(acme.ctx, inProject, { title: "Doc", kind: "rfc", content });
  return doc.id;
}

async function storedDocument(documentId: string) {
  return t.db.withTenant(acme.ctx, async (tx) => ({
    ...(await tx.document.findUniqueOrThrow({ where: { id: documentId }, select: { content: true, version: true } })),
    ops: await tx.documentOperation.count({ where: { documentId } }),
  }));
}

async function editor(url: string, documentId: string, token: string, name = "ed"): Promise<TestEditor> {
  const e = new TestEditor(url, token, documentId, `${name}-${randomUUID().slice(0, 8)}`);
  await e.connect();
  collab.onCleanup(() => e.drop());
  return e;
}

function joinPayload(documentId: string, extra: Record<string, unknown> = {}) {
  return { v: COLLAB_PROTOCOL_VERSION, documentId, ...extra };
}

describe("document sessions over Socket.io", () => {
  it("lets two editors type into one document at once and converge on the stored text", async () => {
    const url = await startServer();
    const documentId = await newDocument("Shared notes\n");
    const a = await editor(url, documentId, await ownerToken(), "a");
    const b = await editor(url, documentId, await tokenFor(member.userId, acme.organization.id, "member"), "b");
    expect(await a.join()).toMatchObject({ ok: true, kind: "snapshot", version: 0, canEdit: true });
    expect(await b.join()).toMatchObject({ ok: true, kind: "snapshot", text: "Shared notes\n" });

    const random = seeded(3);
    for (let i = 0; i < 150; i++) {
      for (const e of [a, b]) e.edit(randomEdit(e.text, random));
      if (i % 10 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    await expect.poll(() => a.isSynced && b.isSynced, { timeout: 20_000 }).toBe(true);
    await expect.poll(() => a.text === b.text, { timeout: 5_000 }).toBe(true);
    const stored = await storedDocument(documentId);
    expect(a.text).toBe(stored.content);
    expect(stored.ops).toBe(stored.version);
    expect(a.refusals).toEqual([]);
    expect(b.refusals).toEqual([]);
  });

  it("keeps many editors converged through random edits, delays and reconnects", async () => {
    const url = await startServer();
    const documentId = await newDocument("# Fuzz\n");
    const editsPerEditor = t.target === "embedded" ? 60 : 300;
    const editors = await Promise.all(
      ["ana", "ben", "cyd", "dee", "eli"].map(async (name, i) => {
        const token = i % 2 === 0 ? await ownerToken() : await tokenFor(member.userId, acme.organization.id, "member");
        const e = await editor(url, documentId, token, name);
        await e.join();
        return e;
      }),
    );
    const random = seeded(11);
    let reconnects = 0;
    await Promise.all(
      editors.map(async (e) => {
        for (let i = 0; i < editsPerEditor; i++) {
          await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 6)));
          if (random() < 0.02) {
            reconnects += 1;
            e.drop();
            e.edit(randomEdit(e.text, random));
            await e.connect();
            const rejoined = await e.join();
            expect(rejoined).toMatchObject({ ok: true, kind: "ops" });
            continue;
          }
          e.edit(randomEdit(e.text, random));
        }
      }),
    );
    await expect.poll(() => editors.every((e) => e.isSynced), { timeout: 20_000 }).toBe(true);
    const stored = await storedDocument(documentId);
    await expect.poll(() => editors.map((e) => e.text), { timeout: 5_000 }).toEqual(editors.map(() => stored.content));
    expect(stored.ops).toBe(stored.version);
    expect(editors.flatMap((e) => e.refusals)).toEqual([]);
    expect(reconnects).toBeGreaterThan(0);
    console.info(
      `socket fuzz (${t.target}): ${editors.length} editors, ${editors.length * editsPerEditor} edits, ` +
        `${stored.version} ops committed, ${reconnects} reconnects`,
    );
  });

  it("broadcasts to the author's other tabs but not back to the sending socket", async () => {
    const url = await startServer();
    const documentId = await newDocument("");
    const token = await ownerToken();
    const tab1 = await editor(url, documentId, token, "tab1");
    const tab2 = await editor(url, documentId, token, "tab2");
    await tab1.join();
    await tab2.join();
    tab1.edit(["hello"]);
    await expect.poll(() => tab2.text).toBe("hello");
    expect(tab2.remoteVersions).toEqual([1]);
    expect(tab1.remoteVersions).toEqual([]);
    expect(tab1.isSynced).toBe(true);
  });

  it("refuses a viewer's op and changes nothing", async () => {
    const url = await startServer();
    const documentId = await newDocument("read only");
    const v = await editor(url, documentId, await tokenFor(viewer.userId, acme.organization.id, "viewer"));
    expect(await v.join()).toMatchObject({ ok: true, canEdit: false });
    const reply = await v.emitOp({
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      clientOpId: "viewer:1",
      baseVersion: 0,
      op: ["defaced "],
    });
    expect(reply).toMatchObject({ ok: false, code: "forbidden", documentId, clientOpId: "viewer:1" });
    expect(await storedDocument(documentId)).toEqual({ content: "read only", version: 0, ops: 0 });
    expect(v.socket?.connected).toBe(true);
  });

  it("answers malformed input with an error and keeps the connection", async () => {
    const url = await startServer();
    const documentId = await newDocument("abc");
    const e = await editor(url, documentId, await ownerToken());
    await e.join();
    const base = { v: COLLAB_PROTOCOL_VERSION, documentId, clientOpId: "raw:1", baseVersion: 0 };
    expect(await e.emitOp({ ...base, op: [{ x: 1 }] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await e.emitOp({ ...base, op: [10, { d: 5 }] })).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await e.emitOp({ ...base, baseVersion: 7, op: ["x"] })).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    expect(await e.emitOp("not even an object")).toMatchObject({ ok: false, code: "validation_failed" });
    expect(await request(e.socket!, COLLAB_EVENTS.join, { v: 1 })).toMatchObject({
      ok: false,
      code: "validation_failed",
    });
    // Without an ack callback the refusal arrives as collab:error.
    e.socket!.emit(COLLAB_EVENTS.op, { ...base, op: "nope" });
    await expect.poll(() => e.errors).toMatchObject([{ code: "validation_failed", clientOpId: "raw:1" }]);

    expect(e.socket!.connected).toBe(true);
    expect(await e.emitOp({ ...base, op: [3, "d"] })).toMatchObject({ ok: true, version: 1 });
    expect(await storedDocument(documentId)).toEqual({ content: "abcd", version: 1, ops: 1 });
  });

  it("does not let a user of another organization join (not_found)", async () => {
    const url = await startServer();
    const documentId = await newDocument("Acme only");
    const outsider = await openSocket(url, await tokenFor(globex.owner.id, globex.organization.id, "owner"));
    collab.onCleanup(() => outsider.disconnect());
    const reply = await request<DocJoinReply>(outsider, COLLAB_EVENTS.join, joinPayload(documentId));
    expect(reply).toMatchObject({ ok: false, code: "not_found", documentId });
    const op = await request(outsider, COLLAB_EVENTS.op, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      clientOpId: "x:1",
      baseVersion: 0,
      op: ["pwned"],
    });
    expect(op).toMatchObject({ ok: false });
    expect(await storedDocument(documentId)).toEqual({ content: "Acme only", version: 0, ops: 0 });
  });

  it("does not let a member join a document in a private project they cannot see", async () => {
    const url = await startServer();
    const hidden = await createProjectsService(t.db).create(acme.ctx, {
      name: "Board only",
      description: "",
      visibility: "private",
    });
    const documentId = await newDocument("secret", hidden.id);
    const socket = await openSocket(url, await tokenFor(member.userId, acme.organization.id, "member"));
    collab.onCleanup(() => socket.disconnect());
    expect(await request(socket, COLLAB_EVENTS.join, joinPayload(documentId))).toMatchObject({
      ok: false,
      code: "not_found",
    });
  });

  it("tells an open socket about a role change, and stops sending the document to someone removed", async () => {
    const url = await startServer({ opRateLimit: { burst: 10_000, perSecond: 10_000 }, accessRecheckMs: 100 });
    const documentId = await newDocument("roles\n");
    const person = await acme.addMember("viewer", "Rae Roles");
    const setMembership = (data: { role?: "viewer" | "member"; status?: "active" | "deactivated" }) =>
      t.db.withTenant(acme.ctx, (tx) =>
        tx.membership.updateMany({ where: { organizationId: acme.organization.id, userId: person.user.id }, data }),
      );
    const socket = await openSocket(url, await tokenFor(person.user.id, acme.organization.id, "viewer"));
    collab.onCleanup(() => socket.disconnect());
    const access: unknown[] = [];
    const errors: unknown[] = [];
    const remoteOps: unknown[] = [];
    socket.on(COLLAB_EVENTS.access, (m: unknown) => access.push(m));
    socket.on(COLLAB_EVENTS.error, (m: unknown) => errors.push(m));
    socket.on(COLLAB_EVENTS.remoteOp, (m: unknown) => remoteOps.push(m));
    expect(await request(socket, COLLAB_EVENTS.join, joinPayload(documentId))).toMatchObject({ canEdit: false });
    const op = (clientOpId: string, baseVersion: number) =>
      request(socket, COLLAB_EVENTS.op, { ...joinPayload(documentId), clientOpId, baseVersion, op: ["x"] });
    expect(await op("rae:1", 0)).toMatchObject({ ok: false, code: "forbidden" });

    // Promoted: told without asking, and the next op is taken (the token still says viewer).
    await setMembership({ role: "member" });
    await expect.poll(() => access, { timeout: 5_000 }).toEqual([{ v: 1, documentId, canEdit: true }]);
    expect(await op("rae:2", 0)).toMatchObject({ ok: true, version: 1 });

    // Demoted: told again, and from then on ops are refused.
    await setMembership({ role: "viewer" });
    await expect.poll(() => access.at(-1), { timeout: 5_000 }).toEqual({ v: 1, documentId, canEdit: false });
    expect(await op("rae:3", 1)).toMatchObject({ ok: false, code: "forbidden" });

    // Removed: the socket leaves the room and hears why; others' edits no longer reach it.
    await setMembership({ status: "deactivated" });
    await expect
      .poll(() => errors, { timeout: 5_000 })
      .toEqual([expect.objectContaining({ code: "forbidden", documentId })]);
    const owner = await editor(url, documentId, await ownerToken(), "owner");
    await owner.join();
    owner.edit(["after "]);
    await expect.poll(() => owner.isSynced).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(remoteOps).toEqual([]);
    expect(await op("rae:4", 2)).toMatchObject({ ok: false, code: "validation_failed" });
  });

  it("catches a reconnecting editor up from its last version", async () => {
    const url = await startServer();
    const documentId = await newDocument("");
    const a = await editor(url, documentId, await ownerToken(), "a");
    const b = await editor(url, documentId, await tokenFor(member.userId, acme.organization.id, "member"), "b");
    await a.join();
    await b.join();
    a.edit(["one "]);
    await expect.poll(() => b.text).toBe("one ");
    b.drop();
    a.edit([4, "two "]);
    await expect.poll(() => a.isSynced).toBe(true);
    a.edit([8, "three"]);
    await expect.poll(() => a.isSynced).toBe(true);

    await b.connect();
    const reply = await b.join();
    expect(reply).toMatchObject({ ok: true, kind: "ops", version: 3 });
    expect(reply.ok && reply.kind === "ops" && reply.ops.map((o) => o.version)).toEqual([2, 3]);
    expect(b.text).toBe("one two three");
  });

  it("applies an op resent after a reconnect only once", async () => {
    const url = await startServer();
    const documentId = await newDocument("x");
    const e = await editor(url, documentId, await ownerToken());
    await e.join();
    // The op reaches the server and is committed, but the connection dies before the ack is back.
    e.loseAcks = true;
    e.edit([1, "y"]);
    const sent = e.ot!.pending!;
    await expect.poll(async () => (await storedDocument(documentId)).version).toBe(1);
    e.drop();
    e.loseAcks = false;
    expect(e.ot!.state).toBe("awaiting-confirm");

    await e.connect();
    const rejoin = await e.join();
    expect(rejoin).toMatchObject({ ok: true, kind: "ops", ops: [{ version: 1, clientOpId: sent.clientOpId }] });
    expect(e.isSynced).toBe(true);
    // A client that resends anyway (it did not see the catch-up) gets the original version back.
    expect(await e.emitOp({ v: COLLAB_PROTOCOL_VERSION, documentId, ...sent, baseVersion: 1 })).toMatchObject({
      ok: true,
      version: 1,
      clientOpId: sent.clientOpId,
    });
    expect(await storedDocument(documentId)).toEqual({ content: "xy", version: 1, ops: 1 });
    expect(e.text).toBe("xy");
  });

  it("relays presence with the user's name and colour, and announces leaving", async () => {
    const url = await startServer();
    const documentId = await newDocument("abc");
    const a = await editor(url, documentId, await tokenFor(member.userId, acme.organization.id, "member"), "a");
    const b = await editor(url, documentId, await ownerToken(), "b");
    await a.join();
    await b.join();
    a.socket!.emit(COLLAB_EVENTS.presence, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      version: 0,
      selection: { anchor: 1, head: 2 },
    });
    await expect.poll(() => b.presence).toHaveLength(1);
    const [update] = b.presence;
    expect(update).toMatchObject({
      documentId,
      version: 0,
      selection: { anchor: 1, head: 2 },
      sessionId: a.socket!.id,
      user: { id: member.userId, name: member.name },
    });
    expect((update as { colour: string }).colour).toMatch(/^#[0-9a-f]{6}$/);
    expect(a.presence).toEqual([]);

    // Someone joining later sees who is already there.
    const c = await editor(url, documentId, await ownerToken(), "c");
    await c.join();
    await expect.poll(() => c.presence).toMatchObject([{ sessionId: a.socket!.id }]);

    const sessionId = a.socket!.id;
    a.drop();
    await expect.poll(() => b.presence.at(-1)).toEqual({ v: COLLAB_PROTOCOL_VERSION, documentId, sessionId });
  });

  it("names the agent in the presence of a socket whose token was minted for one", async () => {
    const url = await startServer();
    const documentId = await newDocument("abc");
    const agent = await editor(
      url,
      documentId,
      await tokenFor(member.userId, acme.organization.id, "member", "Claude via MCP"),
      "agent",
    );
    const person = await editor(url, documentId, await ownerToken(), "person");
    await agent.join();
    await person.join();
    agent.socket!.emit(COLLAB_EVENTS.presence, {
      v: COLLAB_PROTOCOL_VERSION,
      documentId,
      version: 0,
      selection: { anchor: 3, head: 3 },
    });
    await expect.poll(() => person.presence).toHaveLength(1);
    expect(person.presence[0]).toMatchObject({
      user: { id: member.userId, name: member.name, agent: "Claude via MCP" },
    });
  });

  it("answers ops over the connection's rate limit with rate_limited and keeps the connection", async () => {
    const url = await startServer({ opRateLimit: { burst: 5, perSecond: 1 } });
    const documentId = await newDocument("");
    const e = await editor(url, documentId, await ownerToken());
    await e.join();
    const replies = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        e.emitOp({ v: COLLAB_PROTOCOL_VERSION, documentId, clientOpId: `burst:${i + 1}`, baseVersion: 0, op: ["x"] }),
      ),
    );
    const limited = replies.filter((r) => !r.ok && r.code === "rate_limited");
    expect(replies.filter((r) => r.ok)).toHaveLength(4);
    expect(limited).toHaveLength(8);
    expect(e.socket!.connected).toBe(true);
    expect((await storedDocument(documentId)).version).toBe(4);
  });
});
