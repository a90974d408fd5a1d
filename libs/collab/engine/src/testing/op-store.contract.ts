import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { CommitConflictError, type DocumentRef, type OpStore, type StoredOp } from "../op-store";

export interface OpStoreFixture {
  store: OpStore;
  /** Creates a document at version 0 with `content` (and its version-0 snapshot). */
  createDocument(content: string): Promise<DocumentRef>;
  /** An organization that owns none of the documents `createDocument` makes. */
  otherOrganizationId: string;
}

const userId = randomUUID();

function ops(from: number, texts: string[], clientId = "c1", firstSeq = 1): StoredOp[] {
  return texts.map((text, i) => ({
    version: from + i + 1,
    op: [text],
    clientId,
    clientSeq: firstSeq + i,
    userId,
  }));
}

/**
 * What every `OpStore` must do, run once per implementation (memory, Postgres, embedded PGlite),
 * in the spirit of ShareDB's database adapter tests.
 */
export function describeOpStoreContract(name: string, setup: () => Promise<OpStoreFixture>): void {
  describe(`OpStore contract: ${name}`, () => {
    let f: OpStoreFixture;
    beforeAll(async () => {
      f = await setup();
    });

    it("loads a new document's head at version 0", async () => {
      const ref = await f.createDocument("# Title");
      expect(await f.store.loadHead(ref)).toEqual({ content: "# Title", version: 0 });
      expect(await f.store.loadOps(ref, 0, 10)).toEqual([]);
    });

    it("does not find a document that does not exist", async () => {
      const ref = await f.createDocument("");
      expect(await f.store.loadHead({ ...ref, documentId: randomUUID() })).toBeNull();
    });

    it("does not return rows from another tenant", async () => {
      const ref = await f.createDocument("secret");
      await f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["x"]), content: "xsecret" });
      const foreign = { organizationId: f.otherOrganizationId, documentId: ref.documentId };
      expect(await f.store.loadHead(foreign)).toBeNull();
      expect(await f.store.loadOps(foreign, 0, 10)).toEqual([]);
      expect(await f.store.findOpByClientId(foreign, "c1", 1)).toBeNull();
      expect(await f.store.lastClientSeqs(foreign, ["c1"])).toEqual(new Map());
      expect(await f.store.loadLatestSnapshot(foreign, 10)).toBeNull();
      // At the document's real version, so only the tenant boundary can refuse it.
      await expect(f.store.commit(foreign, { baseVersion: 1, ops: ops(1, ["y"]), content: "y" })).rejects.toMatchObject(
        { reason: "document_missing" },
      );
      expect(await f.store.loadHead(ref)).toEqual({ content: "xsecret", version: 1 });
      expect((await f.store.loadOps(ref, 0, 10)).map((op) => op.version)).toEqual([1]);
    });

    it("commits a batch atomically: ops with their versions and the new head", async () => {
      const ref = await f.createDocument("");
      await f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["a", "b", "c"]), content: "cba" });
      await f.store.commit(ref, { baseVersion: 3, ops: ops(3, ["d"], "c2"), content: "dcba" });
      expect(await f.store.loadHead(ref)).toEqual({ content: "dcba", version: 4 });
      const log = await f.store.loadOps(ref, 0, 4);
      expect(log.map((o) => [o.version, o.op, o.clientId, o.clientSeq, o.userId])).toEqual([
        [1, ["a"], "c1", 1, userId],
        [2, ["b"], "c1", 2, userId],
        [3, ["c"], "c1", 3, userId],
        [4, ["d"], "c2", 1, userId],
      ]);
      expect((await f.store.loadOps(ref, 1, 3)).map((o) => o.version)).toEqual([2, 3]);
      expect((await f.store.loadOps(ref, 2, 99)).map((o) => o.version)).toEqual([3, 4]);
    });

    it("stores ops of every shape, including one that changes nothing", async () => {
      const ref = await f.createDocument("hello");
      const batch: StoredOp[] = [
        { version: 1, op: [2, { d: 1 }, "L"], clientId: "c", clientSeq: 1, userId },
        { version: 2, op: [], clientId: "c", clientSeq: 2, userId: null },
      ];
      await f.store.commit(ref, { baseVersion: 0, ops: batch, content: "heLlo" });
      expect(await f.store.loadOps(ref, 0, 2)).toEqual(batch);
    });

    it("refuses a batch whose base version is stale and writes none of it", async () => {
      const ref = await f.createDocument("");
      await f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["a"]), content: "a" });
      const stale = f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["b"], "c2"), content: "b" });
      await expect(stale).rejects.toBeInstanceOf(CommitConflictError);
      expect(await f.store.loadHead(ref)).toEqual({ content: "a", version: 1 });
      expect(await f.store.loadOps(ref, 0, 5)).toHaveLength(1);
    });

    it("refuses a batch repeating a client op id and writes none of it", async () => {
      const ref = await f.createDocument("");
      await f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["a"]), content: "a" });
      const batch = [...ops(1, ["b"], "c2"), ...ops(2, ["c"], "c1", 1)];
      const repeat = f.store.commit(ref, { baseVersion: 1, ops: batch, content: "cba" });
      await expect(repeat).rejects.toBeInstanceOf(CommitConflictError);
      expect(await f.store.loadHead(ref)).toEqual({ content: "a", version: 1 });
      expect(await f.store.findOpByClientId(ref, "c2", 1)).toBeNull();
    });

    it("refuses a batch for a document that does not exist", async () => {
      const ref = await f.createDocument("");
      const missing = { ...ref, documentId: randomUUID() };
      const commit = f.store.commit(missing, { baseVersion: 0, ops: ops(0, ["a"]), content: "a" });
      await expect(commit).rejects.toMatchObject({ name: "CommitConflictError", reason: "document_missing" });
      expect(await f.store.loadOps(missing, 0, 5)).toEqual([]);
    });

    it("refuses a malformed batch and writes none of it: a gap in versions, a client op id twice", async () => {
      const ref = await f.createDocument("");
      const [first, second] = ops(0, ["a", "b"]);
      const gap = f.store.commit(ref, { baseVersion: 0, ops: [first!, { ...second!, version: 3 }], content: "ba" });
      await expect(gap).rejects.toBeInstanceOf(CommitConflictError);
      const twice = f.store.commit(ref, { baseVersion: 0, ops: [first!, { ...second!, clientSeq: 1 }], content: "ba" });
      await expect(twice).rejects.toMatchObject({ reason: "duplicate_op" });
      expect(await f.store.loadHead(ref)).toEqual({ content: "", version: 0 });
      expect(await f.store.loadOps(ref, 0, 5)).toEqual([]);
    });

    it("commits batches of many documents arriving at once, each on its own compare-and-set", async () => {
      const refs = await Promise.all(Array.from({ length: 8 }, (_, i) => f.createDocument(`d${i}`)));
      await f.store.commit(refs[3]!, { baseVersion: 0, ops: ops(0, ["x"], "early"), content: "xd3" });

      const results = await Promise.allSettled(
        refs.map((ref, i) =>
          f.store.commit(ref, {
            baseVersion: 0,
            ops: ops(0, [`${i}a`, `${i}b`], `tab${i}`),
            content: `${i}b${i}ad${i}`,
          }),
        ),
      );

      expect(results.map((r) => r.status)).toEqual(refs.map((_, i) => (i === 3 ? "rejected" : "fulfilled")));
      expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ reason: "version_moved" });
      for (const [i, ref] of refs.entries()) {
        const expected = i === 3 ? { content: "xd3", version: 1 } : { content: `${i}b${i}ad${i}`, version: 2 };
        expect(await f.store.loadHead(ref)).toEqual(expected);
        expect((await f.store.loadOps(ref, 0, 5)).map((o) => o.clientId)).toEqual(
          i === 3 ? ["early"] : [`tab${i}`, `tab${i}`],
        );
      }
    });

    it("finds an op by client op id and clients' highest sequences", async () => {
      const ref = await f.createDocument("");
      await f.store.commit(ref, { baseVersion: 0, ops: ops(0, ["a", "b"], "tab:1"), content: "ba" });
      expect(await f.store.findOpByClientId(ref, "tab:1", 2)).toMatchObject({ version: 2, op: ["b"] });
      expect(await f.store.findOpByClientId(ref, "tab:1", 3)).toBeNull();
      await f.store.commit(ref, { baseVersion: 2, ops: ops(2, ["c"], "tab:2", 7), content: "cba" });
      expect(await f.store.lastClientSeqs(ref, ["tab:1", "tab:2", "nobody"])).toEqual(
        new Map([
          ["tab:1", 2],
          ["tab:2", 7],
        ]),
      );
      expect(await f.store.lastClientSeqs(ref, [])).toEqual(new Map());
    });

    it("answers client look-ups for many documents at once, each from its own document's log", async () => {
      const refs = await Promise.all(Array.from({ length: 5 }, () => f.createDocument("")));
      await Promise.all(
        refs.map((ref, i) =>
          f.store.commit(ref, {
            baseVersion: 0,
            ops: ops(0, ["a", "b", "c"].slice(0, i + 1), "shared", 10 * i + 1),
            content: "",
          }),
        ),
      );
      const foreign = { organizationId: f.otherOrganizationId, documentId: refs[0]!.documentId };

      const [mine, theirs] = await Promise.all([
        Promise.all(refs.map((ref) => f.store.lastClientSeqs(ref, ["shared", "absent", "shared"]))),
        f.store.lastClientSeqs(foreign, ["shared"]),
      ]);

      expect(mine).toEqual(refs.map((_, i) => new Map([["shared", 10 * i + 1 + Math.min(i, 2)]])));
      expect(theirs).toEqual(new Map());
    });

    it("writes snapshots once per version and finds the latest at or below a version", async () => {
      const ref = await f.createDocument("v0");
      await f.store.writeSnapshot(ref, { version: 5, content: "v5" });
      await f.store.writeSnapshot(ref, { version: 5, content: "ignored" });
      await f.store.writeSnapshot(ref, { version: 9, content: "v9" });
      expect(await f.store.loadLatestSnapshot(ref, 4)).toEqual({ version: 0, content: "v0" });
      expect(await f.store.loadLatestSnapshot(ref, 5)).toEqual({ version: 5, content: "v5" });
      expect(await f.store.loadLatestSnapshot(ref, 8)).toEqual({ version: 5, content: "v5" });
      expect(await f.store.loadLatestSnapshot(ref, 100)).toEqual({ version: 9, content: "v9" });
    });
  });
}
