import { randomUUID } from "node:crypto";
import { describe, expect, it, vi } from "vitest";
import { createCollabEngine, type CollabEngine } from "./collab-engine";
import type { SubmitOutcome } from "./document-sequencer";
import { CollabEngineError } from "./errors";
import { createMemoryOpStore } from "./memory-op-store";
import type { DocumentRef } from "./op-store";
import type { AcquireResult, DocumentForwarder, DocumentOwnership } from "./ownership";

const userId = randomUUID();

function setup() {
  const store = createMemoryOpStore();
  const ref: DocumentRef = { organizationId: randomUUID(), documentId: randomUUID() };
  store.createDocument(ref, "");
  return { store, ref };
}

/** Ownership that answers from a script: the first answers in order, then the last one forever. */
function scriptedOwnership(...answers: ("mine" | string)[]): DocumentOwnership & { calls: number } {
  const ownership = {
    calls: 0,
    async acquire(): Promise<AcquireResult> {
      const answer = answers[Math.min(ownership.calls, answers.length - 1)]!;
      ownership.calls += 1;
      if (answer !== "mine") return { owned: false, ownerId: answer };
      return {
        owned: true,
        lease: { fencingToken: ownership.calls, lost: new AbortController().signal, release: async () => {} },
      };
    },
  };
  return ownership;
}

/** A forwarder that runs requests on the owner's engine, as the owner's side of the transport would. */
function forwarderTo(owners: Record<string, CollabEngine>): DocumentForwarder & { sent: string[] } {
  const sent: string[] = [];
  const unreachable = (ownerId: string) =>
    new CollabEngineError("not_owner", "unavailable", `${ownerId} did not answer`);
  return {
    sent,
    async join(ownerId, ref, request) {
      sent.push(`join@${ownerId}`);
      const owner = owners[ownerId];
      if (!owner) return { ok: false, error: unreachable(ownerId) };
      return owner.joinAsOwner(ref, request);
    },
    async submit(ownerId, ref, request) {
      sent.push(`submit@${ownerId}`);
      const owner = owners[ownerId];
      if (!owner) {
        const outcome: SubmitOutcome = { ok: false, error: unreachable(ownerId) };
        request.onSettled?.(outcome);
        return outcome;
      }
      return owner.submitAsOwner(ref, request);
    },
  };
}

describe("CollabEngine on an instance that does not own the document", () => {
  it("runs joins and ops on the owner and answers through the same callbacks", async () => {
    const { store, ref } = setup();
    const owner = createCollabEngine({ store });
    const forwarder = forwarderTo({ "collab-a": owner });
    const engine = createCollabEngine({ store, ownership: scriptedOwnership("collab-a"), forwarder });

    const onJoined = vi.fn();
    expect(await engine.join(ref, { onJoined })).toMatchObject({ ok: true, result: { kind: "snapshot", version: 0 } });
    expect(onJoined).toHaveBeenCalledExactlyOnceWith({ kind: "snapshot", version: 0, text: "" });

    const onSettled = vi.fn();
    const outcome = await engine.submit(ref, { clientOpId: "c:1", baseVersion: 0, op: ["hi"], userId, onSettled });
    expect(outcome).toEqual({ ok: true, version: 1, duplicate: false });
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(outcome);
    expect(forwarder.sent).toEqual(["join@collab-a", "submit@collab-a"]);
    expect(await store.loadHead(ref)).toEqual({ content: "hi", version: 1 });
    expect(engine.openDocuments).toBe(0);
  });

  it("passes the owner's refusal on without trying again", async () => {
    const { store, ref } = setup();
    const owner = createCollabEngine({ store });
    const forwarder = forwarderTo({ "collab-a": owner });
    const engine = createCollabEngine({ store, ownership: scriptedOwnership("collab-a"), forwarder });
    const onSettled = vi.fn();
    const outcome = await engine.submit(ref, { clientOpId: "c:1", baseVersion: 5, op: ["x"], userId, onSettled });
    expect(!outcome.ok && outcome.error.reason).toBe("future_version");
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(outcome);
    expect(forwarder.sent).toEqual(["submit@collab-a"]);
  });

  it("takes a document over once its dead owner's lease is free, answering the author once", async () => {
    const { store, ref } = setup();
    const ownership = scriptedOwnership("collab-dead", "collab-dead", "collab-dead", "mine");
    const forwarder = forwarderTo({});
    const engine = createCollabEngine({ store, ownership, forwarder });
    const onSettled = vi.fn();
    const outcome = await engine.submit(ref, { clientOpId: "c:1", baseVersion: 0, op: ["x"], userId, onSettled });
    expect(outcome).toEqual({ ok: true, version: 1, duplicate: false });
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(outcome);
    expect(forwarder.sent).toEqual(["submit@collab-dead", "submit@collab-dead", "submit@collab-dead"]);
    expect(engine.openDocuments).toBe(1);
    await engine.close();
  });

  it("follows the lease to a new owner when the old one answers it no longer owns the document", async () => {
    const { store, ref } = setup();
    const formerOwner = createCollabEngine({ store, ownership: scriptedOwnership("collab-c") });
    const newOwner = createCollabEngine({ store });
    const forwarder = forwarderTo({ "collab-a": formerOwner, "collab-c": newOwner });
    const engine = createCollabEngine({ store, ownership: scriptedOwnership("collab-a", "collab-c"), forwarder });
    const joined = await engine.join(ref, {});
    expect(joined).toMatchObject({ ok: true, result: { version: 0 } });
    // The former owner does not forward again: the request comes back and goes to the new owner.
    expect(forwarder.sent).toEqual(["join@collab-a", "join@collab-c"]);
  });

  it("refuses as unavailable when no owner can be reached within the hand-over time", async () => {
    const { store, ref } = setup();
    const forwarder = forwarderTo({});
    const engine = createCollabEngine({
      store,
      ownership: scriptedOwnership("collab-dead"),
      forwarder,
      handOverMs: 30,
    });
    const onSettled = vi.fn();
    const outcome = await engine.submit(ref, { clientOpId: "c:1", baseVersion: 0, op: ["x"], userId, onSettled });
    expect(outcome).toMatchObject({ ok: false, error: { reason: "not_owner", code: "unavailable" } });
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(outcome);
    expect(forwarder.sent.length).toBeGreaterThan(1);
    expect(await store.loadHead(ref)).toEqual({ content: "", version: 0 });
  });

  it("refuses work forwarded to it when it does not own the document, without forwarding it again", async () => {
    const { store, ref } = setup();
    const forwarder = forwarderTo({});
    const engine = createCollabEngine({ store, ownership: scriptedOwnership("collab-b"), forwarder });
    const joined = await engine.joinAsOwner(ref, {});
    expect(!joined.ok && joined.error.reason).toBe("not_owner");
    const onSettled = vi.fn();
    const submitted = await engine.submitAsOwner(ref, {
      clientOpId: "c:1",
      baseVersion: 0,
      op: ["x"],
      userId,
      onSettled,
    });
    expect(!submitted.ok && submitted.error.reason).toBe("not_owner");
    expect(onSettled).toHaveBeenCalledExactlyOnceWith(submitted);
    expect(forwarder.sent).toEqual([]);
  });
});
