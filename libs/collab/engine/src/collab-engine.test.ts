import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createCollabEngine, type CollabEngineOptions } from "./collab-engine";
import { createMemoryOpStore } from "./memory-op-store";
import type { DocumentRef, StoredOp } from "./op-store";
import type { DocumentOwnership } from "./ownership";
import { createControlledStore } from "./testing";

const userId = randomUUID();

function setup(options: Partial<CollabEngineOptions> = {}) {
  const memory = createMemoryOpStore();
  const store = createControlledStore(memory);
  const ref: DocumentRef = { organizationId: randomUUID(), documentId: randomUUID() };
  memory.createDocument(ref, "");
  const engine = createCollabEngine({ store, ...options });
  const type = async (count: number, from = 0) => {
    for (let i = from + 1; i <= from + count; i++) {
      const outcome = await engine.submit(ref, { clientOpId: `c:${i}`, baseVersion: i - 1, op: [`${i % 10}`], userId });
      expect(outcome.ok).toBe(true);
    }
  };
  return { memory, store, ref, engine, type };
}

describe("CollabEngine", () => {
  it("writes a snapshot in the background every N ops", async () => {
    const { engine, memory, ref, type } = setup({ snapshotEveryOps: 5 });
    await type(12);
    await engine.flush();
    expect(await memory.loadLatestSnapshot(ref, 100)).toEqual({ version: 10, content: "0987654321" });
    expect(await memory.loadLatestSnapshot(ref, 9)).toMatchObject({ version: 5 });
  });

  it("drops an idle document's sequencer after writing its snapshot, and reopens it on demand", async () => {
    const { engine, memory, ref, type } = setup({ idleMs: 1 });
    await type(3);
    await expect.poll(() => engine.openDocuments).toBe(0);
    await engine.flush();
    expect(await memory.loadLatestSnapshot(ref, 100)).toEqual({ version: 3, content: "321" });
    await type(1, 3);
    expect(engine.openDocuments).toBe(1);
    await engine.close();
  });

  it("opens a document with a long history by reading its head row only", async () => {
    const { engine, memory, store, ref } = setup();
    const history: StoredOp[] = Array.from({ length: 100_000 }, (_, i) => ({
      version: i + 1,
      op: ["x"],
      clientId: "old",
      clientSeq: i + 1,
      userId,
    }));
    await memory.commit(ref, { baseVersion: 0, ops: history, content: "x".repeat(100_000) });
    const joined = await engine.join(ref);
    expect(joined.ok && joined.result.version).toBe(100_000);
    const first = await engine.submit(ref, { clientOpId: "new:1", baseVersion: 100_000, op: ["!"], userId });
    expect(first).toEqual({ ok: true, version: 100_001, duplicate: false });
    expect(store.calls).toMatchObject({ loadHead: 1, loadOps: 0, loadLatestSnapshot: 0, lastClientSeqs: 1 });
  });

  it("reads only the needed stretch of the log for the text at an old version", async () => {
    const { engine, store, ref, type } = setup({ snapshotEveryOps: 10 });
    await type(25);
    await engine.flush();
    const loadOps = vi.spyOn(store, "loadOps");
    // Op i inserted the digit i % 10 at the start.
    const at23 = Array.from({ length: 23 }, (_, k) => (23 - k) % 10).join("");
    expect(await engine.textAt(ref, 23)).toEqual({ version: 23, content: at23 });
    expect(loadOps.mock.calls.map(([, after, upTo]) => [after, upTo])).toEqual([[20, 23]]);
    expect(await engine.textAt(ref, 26)).toBeNull();
  });

  it("does not find a document through another organization's id", async () => {
    const { engine, ref, type } = setup();
    await type(1);
    const foreign = { organizationId: randomUUID(), documentId: ref.documentId };
    const joined = await engine.join(foreign);
    expect(!joined.ok && joined.error.code).toBe("not_found");
    const op = await engine.submit(foreign, { clientOpId: "x:1", baseVersion: 1, op: ["x"], userId });
    expect(!op.ok && op.error.code).toBe("not_found");
  });

  it("refuses work for a document another instance owns", async () => {
    const ownership: DocumentOwnership = { acquire: async () => ({ owned: false, ownerId: "collab-2" }) };
    const { engine, ref } = setup({ ownership });
    const joined = await engine.join(ref);
    expect(!joined.ok && joined.error.reason).toBe("not_owner");
    expect(engine.openDocuments).toBe(0);
  });

  it("finishes queued work on close and refuses anything after", async () => {
    const { engine, store, ref, memory } = setup();
    store.setMode("paused");
    const pending = engine.submit(ref, { clientOpId: "a:1", baseVersion: 0, op: ["a"], userId });
    await expect.poll(() => store.batchSizes.length).toBe(1);
    const closing = engine.close();
    store.setMode("normal");
    await closing;
    expect(await pending).toEqual({ ok: true, version: 1, duplicate: false });
    const late = await engine.submit(ref, { clientOpId: "a:2", baseVersion: 1, op: ["b"], userId });
    expect(!late.ok && late.error.reason).toBe("closing");
    expect(await memory.loadHead(ref)).toEqual({ content: "a", version: 1 });
  });
});
