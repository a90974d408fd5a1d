import { describe, expect, it } from "vitest";
import { CommitConflictError, type CommitBatch, type DocumentRef } from "./op-store";
import { createTenantBatcher, type GroupOutcome, type TenantBatcherOptions } from "./tenant-batcher";

interface Request {
  ref: DocumentRef;
  batch: CommitBatch;
}

const orgA = "00000000-0000-4000-8000-00000000000a";
const orgB = "00000000-0000-4000-8000-00000000000b";

function ref(documentId: string, organizationId = orgA): DocumentRef {
  return { organizationId, documentId };
}

function batch(opCount = 1, baseVersion = 0): CommitBatch {
  const ops = Array.from({ length: opCount }, (_, i) => ({
    version: baseVersion + i + 1,
    op: ["x"],
    clientId: "c",
    clientSeq: baseVersion + i + 1,
    userId: null,
  }));
  return { baseVersion, ops, content: "x".repeat(opCount) };
}

interface Group {
  organizationId: string;
  documents: string[];
  finish(outcomes?: GroupOutcome<string>[]): void;
  fail(error: Error): void;
}

/** A batcher whose groups finish only when the test says so; a request's value is its document id. */
function controlledBatcher(options: Partial<TenantBatcherOptions<Request>> = {}) {
  const groups: Group[] = [];
  const batcher = createTenantBatcher<Request, string>(
    (organizationId, requests) =>
      new Promise((resolve, reject) => {
        groups.push({
          organizationId,
          documents: requests.map((r) => r.ref.documentId),
          finish: (outcomes) => resolve(outcomes ?? requests.map((r) => ({ ok: true, value: r.ref.documentId }))),
          fail: reject,
        });
      }),
    { maxConcurrent: 1, maxItems: 64, ...options },
  );
  const run = (r: DocumentRef, b = batch()) => batcher.run({ ref: r, batch: b });
  return { groups, batcher, run };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe("createTenantBatcher", () => {
  it("starts a group per request at once while slots are free", async () => {
    const { groups, batcher, run } = controlledBatcher({ maxConcurrent: 3 });

    const runs = ["d1", "d2", "d3"].map((id) => run(ref(id)));

    expect(groups.map((g) => g.documents)).toEqual([["d1"], ["d2"], ["d3"]]);
    expect(batcher.queued).toBe(0);
    for (const g of groups) g.finish();
    expect(await Promise.all(runs)).toEqual(["d1", "d2", "d3"]);
  });

  it("queues requests while every slot is busy and runs them as one group when a slot frees", async () => {
    const { groups, batcher, run } = controlledBatcher();
    const first = run(ref("d1"));
    const waiting = ["d2", "d3", "d4"].map((id) => run(ref(id)));
    expect(batcher.queued).toBe(3);

    groups[0]!.finish();
    await first;
    await settled();

    expect(groups.map((g) => g.documents)).toEqual([["d1"], ["d2", "d3", "d4"]]);
    groups[1]!.finish();
    expect(await Promise.all(waiting)).toEqual(["d2", "d3", "d4"]);
  });

  it("settles each request of a group with its own outcome", async () => {
    const { groups, run } = controlledBatcher();
    const blocker = run(ref("d0"));
    const [ok, stale] = [run(ref("d1")), run(ref("d2"))];
    groups[0]!.finish();
    await blocker;
    await settled();

    const conflict = new CommitConflictError("version_moved", "Document d2 is at v3");
    groups[1]!.finish([
      { ok: true, value: "done" },
      { ok: false, error: conflict },
    ]);

    await expect(ok).resolves.toBe("done");
    await expect(stale).rejects.toBe(conflict);
  });

  it("rejects every request of a group that failed as a whole, and keeps serving the queue", async () => {
    const { groups, run } = controlledBatcher();
    const blocker = run(ref("d0"));
    const group = [run(ref("d1")), run(ref("d2"))];
    groups[0]!.fail(new Error("connection terminated unexpectedly"));
    await expect(blocker).rejects.toThrow("connection terminated");
    await settled();
    const later = run(ref("d3"));

    groups[1]!.fail(new Error("connection terminated unexpectedly"));
    for (const r of group) await expect(r).rejects.toThrow("connection terminated");
    await settled();

    expect(groups[2]!.documents).toEqual(["d3"]);
    groups[2]!.finish();
    await expect(later).resolves.toBe("d3");
  });

  it("rejects a request its group returned no outcome for", async () => {
    const { groups, run } = controlledBatcher();
    const blocker = run(ref("d0"));
    const [answered, forgotten] = [run(ref("d1")), run(ref("d2"))];
    groups[0]!.finish();
    await blocker;
    await settled();

    groups[1]!.finish([{ ok: true, value: "d1" }]);

    await expect(answered).resolves.toBe("d1");
    await expect(forgotten).rejects.toThrow("no outcome");
  });

  it("groups one organization at a time, the oldest request's first", async () => {
    const { groups, run } = controlledBatcher();
    const all = [run(ref("a0")), run(ref("b1", orgB)), run(ref("a2")), run(ref("b3", orgB))];

    for (let i = 0; i < 3; i++) {
      groups[i]!.finish();
      await settled();
    }

    expect(groups.map((g) => [g.organizationId, g.documents])).toEqual([
      [orgA, ["a0"]],
      [orgB, ["b1", "b3"]],
      [orgA, ["a2"]],
    ]);
    await Promise.all(all);
  });

  it("keeps a document's second request out of its first one's group when asked to", async () => {
    const { groups, run } = controlledBatcher({ onePerDocument: true });
    const all = [run(ref("d0")), run(ref("d1"), batch(1, 0)), run(ref("d1"), batch(1, 1)), run(ref("d2"))];

    for (let i = 0; i < 3; i++) {
      groups[i]!.finish();
      await settled();
    }

    expect(groups.map((g) => g.documents)).toEqual([["d0"], ["d1", "d2"], ["d1"]]);
    await Promise.all(all);
  });

  it("caps a group by count and by weight, but lets an overweight request through alone", async () => {
    const { groups, run } = controlledBatcher({
      maxItems: 2,
      maxWeight: 10,
      weigh: (r) => r.batch.ops.length,
    });
    const all = [
      run(ref("d0")),
      run(ref("big"), batch(25)),
      run(ref("d1"), batch(6)),
      run(ref("d2"), batch(6)),
      run(ref("d3"), batch(1)),
      run(ref("d4"), batch(1)),
    ];

    for (let i = 0; i < 4; i++) {
      groups[i]!.finish();
      await settled();
    }

    expect(groups.map((g) => g.documents)).toEqual([["d0"], ["big"], ["d1", "d3"], ["d2", "d4"]]);
    await Promise.all(all);
  });

  it("refuses limits below one", () => {
    expect(() => controlledBatcher({ maxConcurrent: 0 })).toThrow(RangeError);
  });
});
