import { randomUUID } from "node:crypto";
import { OtClient, apply, type TextOp } from "@devflow/collab-ot";
import { describe, expect, it } from "vitest";
import { DocumentSequencer, type CommittedOp, type SequencerOptions, type SubmitOutcome } from "./document-sequencer";
import { createMemoryOpStore } from "./memory-op-store";
import type { DocumentRef } from "./op-store";
import { createControlledStore, randomEdit, seeded } from "./testing";

const alice = randomUUID();
const bob = randomUUID();

function setup(content = "", options: Partial<SequencerOptions> = {}) {
  const memory = createMemoryOpStore();
  const ref: DocumentRef = { organizationId: randomUUID(), documentId: randomUUID() };
  memory.createDocument(ref, content);
  const store = createControlledStore(memory);
  const events: string[] = [];
  const broadcasts: { op: CommittedOp; origin: string | undefined }[] = [];
  let listener: ((op: CommittedOp, origin: string | undefined) => void) | undefined;
  const sequencer = new DocumentSequencer(ref, store, options, {
    onCommitted: (_ref, op, origin) => {
      events.push(`broadcast v${op.version} ${op.clientOpId}`);
      broadcasts.push({ op, origin });
      listener?.(op, origin);
    },
  });
  const onBroadcast = (fn: typeof listener) => {
    listener = fn;
  };
  const submit = (clientOpId: string, baseVersion: number, op: unknown, userId = alice, origin?: string) =>
    sequencer.submit({
      clientOpId,
      baseVersion,
      op,
      userId,
      ...(origin !== undefined && { origin }),
      onSettled: (outcome) => events.push(outcome.ok ? `ack v${outcome.version} ${clientOpId}` : `error ${clientOpId}`),
    });
  return { memory, store, ref, sequencer, submit, events, broadcasts, onBroadcast };
}

function errorOf(outcome: SubmitOutcome) {
  if (outcome.ok) throw new Error(`expected a refusal, got an ack at v${outcome.version}`);
  return { code: outcome.error.code, reason: outcome.error.reason };
}

describe("DocumentSequencer", () => {
  it("commits an op, acks it with the next version and broadcasts it with its origin", async () => {
    const { sequencer, submit, broadcasts, memory, ref } = setup("hello");
    expect(await submit("a:1", 0, [5, " world"], alice, "socket-1")).toEqual({
      ok: true,
      version: 1,
      duplicate: false,
    });
    expect(broadcasts).toEqual([
      {
        op: { version: 1, op: [5, " world"], clientId: "a", clientSeq: 1, clientOpId: "a:1", userId: alice },
        origin: "socket-1",
      },
    ]);
    expect(sequencer.head).toEqual({ content: "hello world", version: 1 });
    expect(await memory.loadHead(ref)).toEqual({ content: "hello world", version: 1 });
  });

  it("rebases concurrent ops from several clients so everyone converges on the server's text", async () => {
    const { sequencer, submit, broadcasts } = setup("base");
    const results = await Promise.all([
      submit("a:1", 0, ["A"]),
      submit("b:1", 0, [4, "B"], bob),
      submit("c:1", 0, [2, { d: 2 }]),
    ]);
    expect(results.map((r) => r.ok && r.version)).toEqual([1, 2, 3]);
    expect(sequencer.head?.content).toBe("AbaB");
    const replayed = broadcasts.reduce((text, b) => apply(text, b.op.op), "base");
    expect(replayed).toBe("AbaB");
  });

  it("acks a repeated client op id with its original version and applies it once", async () => {
    const { sequencer, submit, store, ref, memory } = setup("");
    await submit("a:1", 0, ["x"]);
    await submit("b:1", 1, ["y"], bob);
    // A resend after a reconnect carries the same id, rebased to a newer version.
    expect(await submit("a:1", 2, ["x"])).toEqual({ ok: true, version: 1, duplicate: true });
    expect(sequencer.head).toEqual({ content: "yx", version: 2 });

    // A fresh sequencer (another process) finds it in the store.
    const fresh = new DocumentSequencer(ref, store);
    expect(await fresh.submit({ clientOpId: "a:1", baseVersion: 2, op: ["x"], userId: alice })).toEqual({
      ok: true,
      version: 1,
      duplicate: true,
    });
    expect(await memory.loadHead(ref)).toEqual({ content: "yx", version: 2 });
  });

  it("acks a repeat queued in the same batch with the version of the first copy", async () => {
    const { submit, store } = setup("");
    store.setMode("paused");
    const first = submit("z:1", 0, ["1"]);
    const copies = [submit("a:1", 0, ["x"]), submit("a:1", 0, ["x"])];
    store.release();
    store.setMode("normal");
    await first;
    expect(await Promise.all(copies)).toEqual([
      { ok: true, version: 2, duplicate: false },
      { ok: true, version: 2, duplicate: true },
    ]);
  });

  it("refuses a client op id another user already committed", async () => {
    const { submit, sequencer } = setup("");
    await submit("shared:1", 0, ["x"], alice);
    expect(errorOf(await submit("shared:1", 1, ["y"], bob))).toEqual({
      code: "conflict",
      reason: "client_op_id_taken",
    });
    expect(sequencer.head?.version).toBe(1);
  });

  it("commits an op that rebases to nothing, so its author still gets the next version", async () => {
    const { submit, sequencer } = setup("abc");
    await submit("a:1", 0, [1, { d: 1 }]);
    expect(await submit("b:1", 0, [1, { d: 1 }], bob)).toEqual({ ok: true, version: 2, duplicate: false });
    expect(sequencer.head).toEqual({ content: "ac", version: 2 });
  });

  it.each([
    ["not an array", { d: 1 }, "validation_failed", "invalid_op"],
    ["a bad component", [{ x: 1 }], "validation_failed", "invalid_op"],
    ["a zero skip", [0, "a"], "validation_failed", "invalid_op"],
    ["an op longer than the document", [10, { d: 5 }], "validation_failed", "invalid_op"],
    ["an insert above the op size limit", ["x".repeat(101)], "payload_too_large", "invalid_op"],
  ])("refuses %s and changes nothing", async (_name, op, code, reason) => {
    const { submit, sequencer, store } = setup("hello", { maxOpSize: 100 });
    await submit("a:1", 0, ["!"]);
    expect(errorOf(await submit("a:2", 1, op))).toEqual({ code, reason });
    expect(sequencer.head).toEqual({ content: "!hello", version: 1 });
    expect(store.calls.commit).toBe(1);
    expect(await submit("a:2", 1, [6, "?"])).toEqual({ ok: true, version: 2, duplicate: false });
  });

  it("refuses an op that would grow the document past the limit", async () => {
    const { submit, sequencer } = setup("12345", { maxDocumentLength: 8 });
    expect(errorOf(await submit("a:1", 0, ["abcd"]))).toEqual({ code: "payload_too_large", reason: "invalid_op" });
    expect(sequencer.head).toEqual({ content: "12345", version: 0 });
  });

  it.each([
    ["a version in the future", 5, "validation_failed", "future_version"],
    ["a negative version", -1, "validation_failed", "future_version"],
    ["a fractional version", 0.5, "validation_failed", "future_version"],
  ])("refuses an op based on %s", async (_name, baseVersion, code, reason) => {
    const { submit, memory, ref } = setup("x");
    expect(errorOf(await submit("a:1", baseVersion, ["y"]))).toEqual({ code, reason });
    expect(await memory.loadHead(ref)).toEqual({ content: "x", version: 0 });
  });

  it.each(["nocolon", ":1", "a:0", "a:01", "a:x", "a:99999999999"])("refuses the client op id %j", async (id) => {
    const { submit } = setup("x");
    expect(errorOf(await submit(id, 0, ["y"]))).toEqual({ code: "validation_failed", reason: "invalid_client_op_id" });
  });

  it("rejects an op based on a version older than the retention window", async () => {
    const { submit, sequencer } = setup("", { retainedOps: 3, windowOps: 2 });
    for (let i = 1; i <= 5; i++) await submit(`a:${i}`, i - 1, ["."]);
    expect(errorOf(await submit("b:1", 1, ["x"], bob))).toEqual({ code: "conflict", reason: "expired_version" });
    expect(sequencer.head?.version).toBe(5);
  });

  it("rebases an op older than the in-memory window over ops read back from the store", async () => {
    const { submit, sequencer, store } = setup("", { windowOps: 2 });
    for (let i = 1; i <= 6; i++) await submit(`a:${i}`, i - 1, ["a"]);
    const loadsBefore = store.calls.loadOps;
    expect(await submit("b:1", 1, [1, "B"], bob)).toEqual({ ok: true, version: 7, duplicate: false });
    expect(store.calls.loadOps).toBe(loadsBefore + 1);
    // Every later "a" went in at offset 0, before B's anchor.
    expect(sequencer.head?.content).toBe("aaaaaaB");
  });

  it("commits whatever queued during a slow commit in the next transaction", async () => {
    const { submit, store, sequencer } = setup("");
    store.setMode("paused");
    const first = submit("a:1", 0, ["0"]);
    await expect.poll(() => store.batchSizes).toEqual([1]);
    const rest = Array.from({ length: 10 }, (_, i) => submit(`c${i}:1`, 0, [`${i}`]));
    store.setMode("normal");
    await first;
    const outcomes = await Promise.all(rest);
    expect(store.batchSizes).toEqual([1, 10]);
    expect(outcomes.map((o) => o.ok && o.version)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(sequencer.head?.version).toBe(11);
  });

  it("acks nothing before the commit resolves and delivers acks and broadcasts in version order", async () => {
    const { submit, store, events } = setup("");
    store.setMode("paused");
    const first = submit("a:1", 0, ["a"]);
    const second = submit("b:1", 0, ["b"], bob);
    await expect.poll(() => store.batchSizes).toEqual([2]);
    expect(events).toEqual([]);
    store.release();
    await Promise.all([first, second]);
    expect(events).toEqual(["ack v1 a:1", "broadcast v1 a:1", "ack v2 b:1", "broadcast v2 b:1"]);
  });

  it("refuses the whole batch when the commit fails, reloads, and carries on", async () => {
    const { submit, store, sequencer, broadcasts } = setup("doc");
    await submit("a:1", 0, ["1"]);
    store.setMode("failing");
    const failed = await Promise.all([submit("a:2", 1, ["2"]), submit("b:1", 1, ["x"], bob)]);
    expect(failed.map((f) => errorOf(f))).toEqual([
      { code: "unavailable", reason: "commit_failed" },
      { code: "unavailable", reason: "commit_failed" },
    ]);
    expect(broadcasts).toHaveLength(1);
    store.setMode("normal");
    expect(await submit("a:2", 1, ["2"])).toEqual({ ok: true, version: 2, duplicate: false });
    expect(sequencer.head).toEqual({ content: "21doc", version: 2 });
    expect(store.calls.loadHead).toBe(2);
  });

  it("answers ops and joins for a missing document with not_found", async () => {
    const store = createMemoryOpStore();
    const sequencer = new DocumentSequencer({ organizationId: randomUUID(), documentId: randomUUID() }, store);
    const [op, join] = await Promise.all([
      sequencer.submit({ clientOpId: "a:1", baseVersion: 0, op: ["x"], userId: alice }),
      sequencer.join(),
    ]);
    expect(errorOf(op)).toEqual({ code: "not_found", reason: "document_not_found" });
    expect(join.ok).toBe(false);
  });

  describe("join", () => {
    it("gives a first open the text at head", async () => {
      const { sequencer, submit } = setup("hi");
      await submit("a:1", 0, [2, "!"]);
      expect(await sequencer.join()).toEqual({ ok: true, result: { kind: "snapshot", version: 1, text: "hi!" } });
    });

    it("gives a reconnecting client the ops since its last version", async () => {
      const { sequencer, submit } = setup("");
      for (let i = 1; i <= 3; i++) await submit(`a:${i}`, i - 1, [`${i}`]);
      const joined = await sequencer.join({ lastKnownVersion: 1 });
      expect(joined.ok && joined.result).toMatchObject({
        kind: "ops",
        version: 3,
        ops: [
          { version: 2, clientOpId: "a:2", op: ["2"] },
          { version: 3, clientOpId: "a:3", op: ["3"] },
        ],
      });
    });

    it("sends the text to a client far behind, but ops when it has pending edits", async () => {
      const { sequencer, submit, store } = setup("", { snapshotJoinThreshold: 2, windowOps: 2 });
      for (let i = 1; i <= 6; i++) await submit(`a:${i}`, i - 1, ["x"]);
      const plain = await sequencer.join({ lastKnownVersion: 1, hasPending: false });
      expect(plain.ok && plain.result).toEqual({ kind: "snapshot", version: 6, text: "xxxxxx" });
      const unsaid = await sequencer.join({ lastKnownVersion: 1 });
      expect(unsaid.ok && unsaid.result.kind).toBe("ops");
      const pending = await sequencer.join({ lastKnownVersion: 1, hasPending: true });
      expect(pending.ok && pending.result.kind === "ops" && pending.result.ops.map((o) => o.version)).toEqual([
        2, 3, 4, 5, 6,
      ]);
      expect(store.calls.loadOps).toBe(2);
    });

    it("refuses a client with pending edits beyond the retained history, and one ahead of the server", async () => {
      const { sequencer, submit } = setup("", { retainedOps: 2, snapshotJoinThreshold: 1 });
      for (let i = 1; i <= 4; i++) await submit(`a:${i}`, i - 1, ["x"]);
      const expired = await sequencer.join({ lastKnownVersion: 0, hasPending: true });
      expect(!expired.ok && expired.error.reason).toBe("expired_version");
      const unsaid = await sequencer.join({ lastKnownVersion: 0 });
      expect(unsaid.ok && unsaid.result.kind).toBe("snapshot");
      const ahead = await sequencer.join({ lastKnownVersion: 9 });
      expect(!ahead.ok && ahead.error.code).toBe("conflict");
    });

    it("computes the catch-up in queue order: no overlap and no gap with later broadcasts", async () => {
      const { sequencer, submit, store, events } = setup("");
      store.setMode("paused");
      const first = submit("a:1", 0, ["1"]);
      await expect.poll(() => store.batchSizes).toEqual([1]);
      const joined = sequencer.join({
        lastKnownVersion: 0,
        onJoined: (r) =>
          events.push(`joined v${r.version} ops ${r.kind === "ops" ? r.ops.map((o) => o.version) : "-"}`),
      });
      const second = submit("b:1", 0, ["2"], bob);
      store.setMode("normal");
      await Promise.all([first, joined, second]);
      expect(events).toEqual(["ack v1 a:1", "broadcast v1 a:1", "joined v1 ops 1", "ack v2 b:1", "broadcast v2 b:1"]);
    });
  });

  it("keeps simulated editors converged through thousands of concurrent ops", async () => {
    const { sequencer, onBroadcast } = setup("seed text");
    const clients = ["p", "q", "r", "s"].map((id) => ({
      ot: new OtClient({ clientId: id, version: 0 }),
      text: "seed text",
      inbox: [] as (() => void)[],
    }));
    const random = seeded(42);
    onBroadcast((op, origin) => {
      for (const c of clients) {
        if (c.ot.clientId === origin) continue;
        c.inbox.push(() => {
          const result = c.ot.onRemote(op.op, op.version, op.clientOpId);
          c.text = apply(c.text, result.op);
          if (result.send) send(c, result.send);
        });
      }
    });
    const inflight: Promise<unknown>[] = [];
    const send = (c: (typeof clients)[number], out: { clientOpId: string; baseVersion: number; op: TextOp }) => {
      inflight.push(
        sequencer.submit({
          ...out,
          userId: alice,
          origin: c.ot.clientId,
          onSettled: (outcome) => {
            if (!outcome.ok) throw outcome.error;
            c.inbox.push(() => {
              const next = c.ot.onAck(outcome.version, out.clientOpId);
              if (next) send(c, next);
            });
          },
        }),
      );
    };
    let edits = 0;
    for (let step = 0; step < 4000; step++) {
      const c = clients[Math.floor(random() * clients.length)]!;
      if (random() < 0.5 && c.inbox.length > 0) {
        c.inbox.shift()!();
      } else if (random() < 0.5) {
        const op = randomEdit(c.text, random);
        c.text = apply(c.text, op);
        edits += 1;
        const out = c.ot.applyLocal(op);
        if (out) send(c, out);
      } else {
        await Promise.resolve();
      }
    }
    for (let settled = 0; settled < 10_000; settled++) {
      await Promise.all(inflight.splice(0));
      await sequencer.whenIdle();
      const busy = clients.filter((c) => c.inbox.length > 0);
      if (busy.length === 0 && inflight.length === 0) break;
      for (const c of busy) while (c.inbox.length) c.inbox.shift()!();
    }
    expect(edits).toBeGreaterThan(500);
    for (const c of clients) {
      expect(c.ot.state).toBe("synchronized");
      expect(c.text).toBe(sequencer.head?.content);
    }
  });
});
