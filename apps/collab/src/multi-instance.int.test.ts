import { randomUUID } from "node:crypto";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterEditor } from "./testing/cluster-editor";
import { useCollabCluster, type ClusterInstance } from "./testing/collab-cluster";
import { randomEdit, seeded } from "@devflow/collab-engine/testing";

let t: TestDatabase;
let acme: OrganizationFixture;
let member: { userId: string };
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  member = { userId: (await acme.addMember("member", "Mia Member")).user.id };
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

const cluster = useCollabCluster(() => t.db);

async function newDocument(content = ""): Promise<string> {
  return (await createDocumentsService(t.db).create(acme.ctx, projectId, { title: "Doc", kind: "rfc", content })).id;
}

async function storedDocument(documentId: string) {
  return t.db.withTenant(acme.ctx, async (tx) => ({
    ...(await tx.document.findUniqueOrThrow({ where: { id: documentId }, select: { content: true, version: true } })),
    ops: await tx.documentOperation.findMany({
      where: { documentId },
      select: { version: true, clientId: true, clientSeq: true },
      orderBy: { version: "asc" },
    }),
  }));
}

async function editorOn(
  instance: ClusterInstance,
  documentId: string,
  name: string,
  fallback: () => string = () => instance.url,
): Promise<ClusterEditor> {
  const token =
    name.charCodeAt(0) % 2 === 0
      ? await cluster.tokenFor(acme.owner.id, acme.organization.id, "owner")
      : await cluster.tokenFor(member.userId, acme.organization.id, "member");
  const e = new ClusterEditor(instance.url, token, documentId, `${name}-${randomUUID().slice(0, 8)}`, fallback);
  await e.connect();
  cluster.onCleanup(() => e.close());
  return e;
}

/** Every op an editor saw acked is in the log, at the version of its ack. */
function expectAcksKept(editors: ClusterEditor[], ops: { version: number; clientId: string; clientSeq: number }[]) {
  const committed = new Map(ops.map((op) => [`${op.clientId}:${op.clientSeq}`, op.version]));
  const acked = editors.flatMap((e) => [...e.acks]);
  expect(acked.length).toBeGreaterThan(0);
  for (const [clientOpId, version] of acked)
    expect([clientOpId, committed.get(clientOpId)]).toEqual([clientOpId, version]);
}

async function typeRandomly(
  editors: ClusterEditor[],
  editsPerEditor: number,
  seed: number,
  midway?: () => Promise<void>,
) {
  const random = seeded(seed);
  let typed = 0;
  let midwayDone: Promise<void> | null = null;
  await Promise.all(
    editors.map(async (e) => {
      for (let i = 0; i < editsPerEditor; i++) {
        await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 6)));
        e.edit(randomEdit(e.text, random));
        typed += 1;
        if (midway && !midwayDone && typed >= (editors.length * editsPerEditor) / 2) midwayDone = midway();
      }
    }),
  );
  await midwayDone;
}

describe("several collab instances behind the Redis adapter", () => {
  it("converges editors connected to two instances on the stored text, in version order", async () => {
    const [a, b] = [await cluster.start(), await cluster.start()];
    const documentId = await newDocument("# Shared\n");
    const editors = [
      await editorOn(a, documentId, "ana"),
      await editorOn(b, documentId, "ben"),
      await editorOn(a, documentId, "cyd"),
      await editorOn(b, documentId, "dee"),
    ];
    for (const e of editors) expect(await e.join()).toMatchObject({ ok: true, kind: "snapshot", text: "# Shared\n" });
    // The first join made instance a the owner; b forwards its editors' joins and ops to it.
    expect(await cluster.leaseOf(acme.organization.id, documentId)).toMatch(new RegExp(`^${a.instanceId} \\d+$`));

    await typeRandomly(editors, t.target === "embedded" ? 40 : 150, 7);

    await expect.poll(() => editors.every((e) => e.isSynced), { timeout: 30_000 }).toBe(true);
    const stored = await storedDocument(documentId);
    await expect.poll(() => editors.map((e) => e.text), { timeout: 5_000 }).toEqual(editors.map(() => stored.content));
    expect(stored.ops.map((op) => op.version)).toEqual(stored.ops.map((_, i) => i + 1));
    expect(stored.version).toBe(stored.ops.length);
    expectAcksKept(editors, stored.ops);
    // Acks relayed from the owner arrive between the same remote ops as on the owner: nobody had to rejoin.
    expect(editors.map((e) => e.outOfOrder)).toEqual([0, 0, 0, 0]);
    expect(editors.flatMap((e) => e.refusals)).toEqual([]);
  });

  it("broadcasts to sockets on the other instance but not back to the author", async () => {
    const [a, b] = [await cluster.start(), await cluster.start()];
    const documentId = await newDocument("");
    const onA = await editorOn(a, documentId, "ana");
    const onB = await editorOn(b, documentId, "ben");
    await onA.join();
    await onB.join();
    onB.edit(["from b"]);
    await expect.poll(() => onA.text).toBe("from b");
    onA.edit([6, ", from a"]);
    await expect.poll(() => onB.text).toBe("from b, from a");
    await expect.poll(() => onA.isSynced && onB.isSynced).toBe(true);
    expect(onA.remoteVersions).toEqual([1]);
    expect(onB.remoteVersions).toEqual([2]);
    expect((await storedDocument(documentId)).content).toBe("from b, from a");
  });

  it("releases an instance's leases when it shuts down, so another one takes its documents over at once", async () => {
    // Far longer than the test may wait: only a released lease lets b take over in time.
    const [a, b] = [await cluster.start({ leaseTtlMs: 60_000 }), await cluster.start({ leaseTtlMs: 60_000 })];
    const documentId = await newDocument("");
    const onA = await editorOn(a, documentId, "ana", () => b.url);
    const onB = await editorOn(b, documentId, "ben");
    await onA.join();
    await onB.join();
    onA.edit(["one"]);
    await expect.poll(() => onB.text).toBe("one");

    await a.close();
    expect(await cluster.leaseOf(acme.organization.id, documentId)).toBeNull();
    onB.edit([3, " two"]);
    await expect.poll(() => onB.isSynced, { timeout: 5_000 }).toBe(true);
    expect(await cluster.leaseOf(acme.organization.id, documentId)).toMatch(new RegExp(`^${b.instanceId} \\d+$`));
    await expect.poll(() => onA.isSynced && onA.text === "one two", { timeout: 5_000 }).toBe(true);
    expect(onA.reconnects).toBe(1);
    expect((await storedDocument(documentId)).content).toBe("one two");
  });

  it("hands a crashed owner's document to a surviving instance, losing nothing that was acked", async () => {
    const leaseTtlMs = 1_000;
    const [a, b] = [
      await cluster.start({ leaseTtlMs, forwardTimeoutMs: 300 }),
      await cluster.start({ leaseTtlMs, forwardTimeoutMs: 300 }),
    ];
    const documentId = await newDocument("# Handover\n");
    // Editors on a move to b when a goes away, as a load balancer would send them.
    const editors = [
      await editorOn(a, documentId, "ana", () => b.url),
      await editorOn(b, documentId, "ben"),
      await editorOn(a, documentId, "cyd", () => b.url),
      await editorOn(b, documentId, "dee"),
    ];
    for (const e of editors) await e.join();
    const before = await cluster.leaseOf(acme.organization.id, documentId);
    expect(before).toMatch(new RegExp(`^${a.instanceId} \\d+$`));

    await typeRandomly(editors, t.target === "embedded" ? 30 : 100, 13, () => a.crash());

    await expect.poll(() => editors.every((e) => e.isSynced), { timeout: 30_000 }).toBe(true);
    const stored = await storedDocument(documentId);
    await expect.poll(() => editors.map((e) => e.text), { timeout: 5_000 }).toEqual(editors.map(() => stored.content));
    expect(stored.ops.map((op) => op.version)).toEqual(stored.ops.map((_, i) => i + 1));
    expectAcksKept(editors, stored.ops);
    expect(editors.flatMap((e) => e.refusals)).toEqual([]);
    expect(editors[0]!.reconnects + editors[2]!.reconnects).toBe(2);

    const after = await cluster.leaseOf(acme.organization.id, documentId);
    expect(after).toMatch(new RegExp(`^${b.instanceId} \\d+$`));
    expect(Number(after!.split(" ")[1])).toBeGreaterThan(Number(before!.split(" ")[1]));
  });
});
