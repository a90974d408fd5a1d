import type { Database } from "@devflow/db";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countingDatabase } from "./testing";
import { CommitConflictError, type DocumentRef, type StoredOp } from "./op-store";
import { createPostgresCommitGroup, type CommitRequest } from "./postgres-commit-group";
import { createPostgresOpStore } from "./postgres-op-store";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let newAcmeDocument: (content?: string) => Promise<DocumentRef>;
let newGlobexDocument: () => Promise<DocumentRef>;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  const documents = createDocumentsService(t.db);
  const projects = createProjectsService(t.db);
  const documentIn = async (org: OrganizationFixture) => {
    const project = await projects.create(org.ctx, { name: "Docs", description: "" });
    return async (content = "") => {
      const doc = await documents.create(org.ctx, project.id, { title: "Doc", kind: "design_doc", content });
      return { organizationId: org.organization.id, documentId: doc.id };
    };
  };
  newAcmeDocument = await documentIn(acme);
  newGlobexDocument = await documentIn(globex);
});

afterAll(async () => {
  await t?.drop();
});

function request(ref: DocumentRef, baseVersion: number, texts: string[], clientId = "c1"): CommitRequest {
  const ops: StoredOp[] = texts.map((text, i) => ({
    version: baseVersion + i + 1,
    op: [text],
    clientId,
    clientSeq: baseVersion + i + 1,
    userId: acme.owner.id,
  }));
  return { ref, batch: { baseVersion, ops, content: texts.join("") } };
}

async function headOf(ref: DocumentRef) {
  return t.db.withTenant({ organizationId: ref.organizationId }, async (tx) => ({
    head: await tx.document.findUnique({
      where: { id: ref.documentId },
      select: { version: true, content: true, updatedById: true },
    }),
    ops: await tx.documentOperation.count({ where: { documentId: ref.documentId } }),
  }));
}

/** The group committer, answering null for a committed batch and the conflict for a refused one. */
function commitGroupOn(db: Database) {
  const commitGroup = createPostgresCommitGroup(db);
  return async (organizationId: string, requests: CommitRequest[]) =>
    (await commitGroup(organizationId, requests)).map((o) => (o.ok ? null : (o.error as CommitConflictError)));
}

describe("Postgres group commit", () => {
  it("commits several documents in one call, refusing only the batch whose base is stale", async () => {
    const [a, b, c] = [await newAcmeDocument(), await newAcmeDocument(), await newAcmeDocument()];
    const db = countingDatabase(t.db);
    const commitGroup = commitGroupOn(db);
    expect(await commitGroup(a.organizationId, [request(b, 0, ["b"])])).toEqual([null]);

    const outcomes = await commitGroup(a.organizationId, [
      request(a, 0, ["a1", "a2"]),
      request(b, 0, ["stale"]),
      request(c, 0, ["c1"]),
    ]);

    // One call each, the refused document's version included: no transaction, no second query.
    expect({ calls: db.calls, transactions: db.transactions }).toEqual({ calls: 2, transactions: 0 });
    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toBeInstanceOf(CommitConflictError);
    expect(outcomes[1]).toMatchObject({ reason: "version_moved", message: expect.stringContaining("is at v1") });
    expect(outcomes[2]).toBeNull();
    expect(await headOf(a)).toEqual({ head: { version: 2, content: "a1a2", updatedById: acme.owner.id }, ops: 2 });
    expect(await headOf(b)).toMatchObject({ head: { version: 1, content: "b" }, ops: 1 });
    expect(await headOf(c)).toMatchObject({ head: { version: 1, content: "c1" }, ops: 1 });
  });

  it("refuses the batch repeating a committed client op id and commits the rest of the group", async () => {
    const [a, b] = [await newAcmeDocument(), await newAcmeDocument()];
    const commitGroup = commitGroupOn(t.db);
    await commitGroup(a.organizationId, [request(a, 0, ["x"], "tab")]);
    const repeat: CommitRequest = {
      ref: a,
      batch: {
        baseVersion: 1,
        ops: [{ version: 2, op: ["y"], clientId: "tab", clientSeq: 1, userId: null }],
        content: "yx",
      },
    };

    const outcomes = await commitGroup(a.organizationId, [repeat, request(b, 0, ["b"])]);

    expect(outcomes[0]).toMatchObject({ reason: "duplicate_op" });
    expect(outcomes[1]).toBeNull();
    expect(await headOf(a)).toMatchObject({ head: { version: 1, content: "x" }, ops: 1 });
    expect(await headOf(b)).toMatchObject({ head: { version: 1, content: "b" }, ops: 1 });
  });

  it("pins a unique-key violation on its own batch by retrying the group one document at a time", async () => {
    const [a, b] = [await newAcmeDocument(), await newAcmeDocument()];
    // A log row past the head: the version check passes, the (document, version) key fires.
    await t.db.withTenant(acme.ctx, (tx) =>
      tx.documentOperation.create({
        data: {
          organizationId: a.organizationId,
          documentId: a.documentId,
          version: 2,
          op: ["?"],
          clientId: "stray",
          clientSeq: 1,
        },
      }),
    );
    const db = countingDatabase(t.db);

    const outcomes = await commitGroupOn(db)(a.organizationId, [request(a, 0, ["a1", "a2"]), request(b, 0, ["b"])]);

    expect(outcomes[0]).toMatchObject({ reason: "duplicate_op" });
    expect(outcomes[1]).toBeNull();
    expect(db.calls).toBe(3);
    expect(await headOf(a)).toMatchObject({ head: { version: 0 }, ops: 1 });
    expect(await headOf(b)).toMatchObject({ head: { version: 1, content: "b" }, ops: 1 });
  });

  it("does not write another organization's document put in a group", async () => {
    const [mine, theirs] = [await newAcmeDocument(), await newGlobexDocument()];
    const foreign = { organizationId: mine.organizationId, documentId: theirs.documentId };

    const outcomes = await commitGroupOn(t.db)(mine.organizationId, [
      request(mine, 0, ["m"]),
      request(foreign, 0, ["intruder"]),
    ]);

    expect(outcomes[0]).toBeNull();
    expect(outcomes[1]).toMatchObject({ reason: "document_missing" });
    expect(await headOf(theirs)).toMatchObject({ head: { version: 0, content: "" }, ops: 0 });
  });

  it("cannot commit to another organization's document through collab_commit_group, even naming it", async () => {
    const [mine, theirs] = [await newAcmeDocument(), await newGlobexDocument()];
    const batch = (documentId: string) => ({
      document_id: documentId,
      base_version: 0,
      version: 1,
      content: "intruder",
      updated_by_id: null,
    });
    const op = (documentId: string, clientSeq: number) => ({
      document_id: documentId,
      version: 1,
      op: ["intruder"],
      user_id: null,
      client_id: "c1",
      client_seq: clientSeq,
    });

    // Globex's document as a batch of its own, and its op smuggled beside a batch of Acme's.
    const rows = await t.db.callTenantFunction<{ document: string; committed: boolean }>(
      { organizationId: mine.organizationId },
      "collab_commit_group",
      [
        JSON.stringify([batch(theirs.documentId), batch(mine.documentId)]),
        JSON.stringify([op(mine.documentId, 1), op(theirs.documentId, 2)]),
      ],
    );

    expect(rows).toEqual([{ document: mine.documentId, committed: true, head_version: 1 }]);
    expect(await headOf(theirs)).toMatchObject({ head: { version: 0, content: "" }, ops: 0 });
    expect(await headOf(mine)).toMatchObject({ head: { version: 1, content: "intruder" }, ops: 1 });
  });

  it("commits two groups sharing documents in opposite orders without a deadlock", async () => {
    const [a, b] = [await newAcmeDocument(), await newAcmeDocument()];
    const commitGroup = commitGroupOn(t.db);

    const [first, second] = await Promise.all([
      commitGroup(a.organizationId, [request(a, 0, ["1a"], "one"), request(b, 0, ["1b"], "one")]),
      commitGroup(a.organizationId, [request(b, 0, ["2b"], "two"), request(a, 0, ["2a"], "two")]),
    ]);

    // Each document takes exactly one of the two batches; the other is refused as stale.
    const outcomes = [first[0], second[1], first[1], second[0]];
    expect(outcomes.filter((o) => o === null)).toHaveLength(2);
    expect(outcomes.filter((o) => o?.reason === "version_moved")).toHaveLength(2);
    expect(await headOf(a)).toMatchObject({ head: { version: 1 }, ops: 1 });
    expect(await headOf(b)).toMatchObject({ head: { version: 1 }, ops: 1 });
  });

  it("refuses malformed batches before the database: gaps in versions, a repeated op id, a bad document id", async () => {
    const a = await newAcmeDocument();
    const db = countingDatabase(t.db);
    const gap = request(a, 0, ["x", "y"]);
    const repeated = request(a, 0, ["x", "y"]);
    const withGap = { ...gap, batch: { ...gap.batch, ops: [gap.batch.ops[0]!, { ...gap.batch.ops[1]!, version: 3 }] } };
    const withRepeat = {
      ...repeated,
      batch: { ...repeated.batch, ops: [repeated.batch.ops[0]!, { ...repeated.batch.ops[1]!, clientSeq: 1 }] },
    };
    const badId = request({ ...a, documentId: "not-a-uuid" }, 0, ["x"]);

    const outcomes = await commitGroupOn(db)(a.organizationId, [withGap, withRepeat, badId]);

    expect(outcomes.map((o) => o?.reason)).toEqual(["version_moved", "duplicate_op", "document_missing"]);
    expect(db.calls + db.transactions).toBe(0);
    expect(await headOf(a)).toMatchObject({ head: { version: 0 }, ops: 0 });
  });

  it("shares one call among documents that commit while the commit slots are busy", async () => {
    const refs = await Promise.all(Array.from({ length: 6 }, () => newAcmeDocument()));
    const db = countingDatabase(t.db);
    const store = createPostgresOpStore(db, { maxConcurrentCommits: 1 });

    await Promise.all(refs.map((ref) => store.commit(ref, request(ref, 0, [`${ref.documentId}`]).batch)));

    // The first batch finds the slot free; the other five queue behind it and go together.
    expect(db.calls).toBe(2);
    for (const ref of refs)
      expect(await headOf(ref)).toMatchObject({ head: { version: 1, content: ref.documentId }, ops: 1 });
  });
});
