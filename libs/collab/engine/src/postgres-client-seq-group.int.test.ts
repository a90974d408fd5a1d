import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingDatabase } from "./testing";
import type { DocumentRef, StoredOp } from "./op-store";
import { createPostgresClientSeqGroup } from "./postgres-client-seq-group";
import { createPostgresOpStore } from "./postgres-op-store";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let newDocument: (org: OrganizationFixture) => Promise<DocumentRef>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const documents = createDocumentsService(t.db);
  const projects = createProjectsService(t.db);
  newDocument = async (org) => {
    const project = await projects.create(org.ctx, { name: "Docs", description: "" });
    const doc = await documents.create(org.ctx, project.id, { title: "Doc", kind: "design_doc", content: "" });
    return { organizationId: org.organization.id, documentId: doc.id };
  };
});

afterAll(async () => {
  await t?.drop();
});

/** Commits one op per client sequence given, in order, through the real store. */
async function commitOps(ref: DocumentRef, userId: string, ops: [clientId: string, clientSeq: number][]) {
  const stored: StoredOp[] = ops.map(([clientId, clientSeq], i) => ({
    version: i + 1,
    op: ["x"],
    clientId,
    clientSeq,
    userId,
  }));
  await createPostgresOpStore(t.db).commit(ref, { baseVersion: 0, ops: stored, content: "x".repeat(ops.length) });
}

describe("Postgres client sequence look-up", () => {
  it("answers several documents' clients in one call: each client's highest committed sequence, none for a new one", async () => {
    const [a, b] = [await newDocument(acme), await newDocument(acme)];
    await commitOps(a, acme.owner.id, [
      ["alice", 1],
      ["bob", 1],
      ["alice", 2],
      ["alice", 3],
    ]);
    await commitOps(b, acme.owner.id, [["alice", 7]]);
    const db = countingDatabase(t.db);
    const lookUp = createPostgresClientSeqGroup(db);

    const outcomes = await lookUp(acme.organization.id, [
      { ref: a, clientIds: ["alice", "bob", "carol"] },
      { ref: b, clientIds: ["alice", "bob"] },
    ]);

    expect(outcomes.map((o) => (o.ok ? Object.fromEntries(o.value) : o.error))).toEqual([
      { alice: 3, bob: 1 },
      { alice: 7 },
    ]);
    expect({ calls: db.calls, transactions: db.transactions }).toEqual({ calls: 1, transactions: 0 });
  });

  it("finds nothing of another organization's document, and nothing for an id that is not a document's", async () => {
    const theirs = await newDocument(globex);
    await commitOps(theirs, globex.owner.id, [["mallory", 5]]);
    const lookUp = createPostgresClientSeqGroup(t.db);

    // Asked as Acme, about Globex's document: row-level security hides its ops.
    const outcomes = await lookUp(acme.organization.id, [
      { ref: { organizationId: acme.organization.id, documentId: theirs.documentId }, clientIds: ["mallory"] },
      { ref: { organizationId: acme.organization.id, documentId: "not-a-uuid" }, clientIds: ["mallory"] },
    ]);

    expect(outcomes.map((o) => (o.ok ? o.value.size : o.error))).toEqual([0, 0]);
    const asGlobex = await lookUp(globex.organization.id, [{ ref: theirs, clientIds: ["mallory"] }]);
    expect(asGlobex.map((o) => (o.ok ? Object.fromEntries(o.value) : o.error))).toEqual([{ mallory: 5 }]);
  });
});
