import { OtClient, apply, type OutgoingOp, type TextOp } from "@devflow/collab-ot";
import { createTestDatabase, type TestDatabase } from "@devflow/db/testing";
import { createDocumentsService } from "@devflow/domain-documents";
import { createProjectsService } from "@devflow/domain-projects";
import { buildOrganization, type OrganizationFixture } from "@devflow/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCollabEngine } from "./collab-engine";
import type { CommittedOp, JoinResult } from "./document-sequencer";
import type { DocumentRef, OpStore } from "./op-store";
import { createPostgresOpStore } from "./postgres-op-store";
import { createControlledStore, randomEdit, seeded } from "./testing";

let t: TestDatabase;
let acme: OrganizationFixture;
let globex: OrganizationFixture;
let projectId: string;

beforeAll(async () => {
  t = await createTestDatabase();
  acme = await buildOrganization(t.db, "Acme");
  globex = await buildOrganization(t.db, "Globex");
  projectId = (await createProjectsService(t.db).create(acme.ctx, { name: "Design", description: "" })).id;
});
afterAll(async () => {
  await t?.drop();
});

async function newDocument(content = ""): Promise<DocumentRef> {
  const doc = await createDocumentsService(t.db).create(acme.ctx, projectId, { title: "Doc", kind: "rfc", content });
  return { organizationId: acme.organization.id, documentId: doc.id };
}

function storedOps(ref: DocumentRef) {
  return t.db.withTenant(ref, (tx) =>
    tx.documentOperation.findMany({ where: { documentId: ref.documentId }, orderBy: { version: "asc" } }),
  );
}

function storedDocument(ref: DocumentRef) {
  return t.db.withTenant(ref, (tx) =>
    tx.document.findUniqueOrThrow({ where: { id: ref.documentId }, select: { content: true, version: true } }),
  );
}

describe("CollabEngine on Postgres", () => {
  it("has an acked op in the database before the ack", async () => {
    const ref = await newDocument("# Plan");
    const engine = createCollabEngine({ store: createPostgresOpStore(t.db) });
    const userId = acme.owner.id;
    let rowsAtAck: unknown[] = [];
    const outcome = await engine.submit(ref, {
      clientOpId: "tab-1:1",
      baseVersion: 0,
      op: [6, "\n\nShip it."],
      userId,
      onSettled: () => {
        rowsAtAck = [storedOps(ref)];
      },
    });
    expect(outcome).toEqual({ ok: true, version: 1, duplicate: false });
    expect(await rowsAtAck[0]).toMatchObject([
      { version: 1, op: [6, "\n\nShip it."], clientId: "tab-1", clientSeq: 1, userId },
    ]);
    expect(await storedDocument(ref)).toEqual({ content: "# Plan\n\nShip it.", version: 1 });
    await engine.close();
  });

  it("keeps every acked op through a crash and applies a resent unacked op once", async () => {
    const ref = await newDocument("");
    const userId = acme.owner.id;
    const crashing = createControlledStore(createPostgresOpStore(t.db));
    const before = createCollabEngine({ store: crashing });
    expect(await before.submit(ref, { clientOpId: "w:1", baseVersion: 0, op: ["acked "], userId })).toMatchObject({
      ok: true,
      version: 1,
    });

    // The process dies before the next commit reaches the database: never acked, never stored.
    crashing.setMode("lost_before_write");
    let lostAnswered = false;
    void before.submit(ref, { clientOpId: "w:2", baseVersion: 1, op: [6, "lost"], userId }).then(() => {
      lostAnswered = true;
    });
    await expect.poll(() => crashing.batchSizes.length).toBe(2);

    const after = createCollabEngine({ store: createPostgresOpStore(t.db) });
    const rejoined = await after.join(ref, { lastKnownVersion: 1, hasPending: true });
    expect(rejoined.ok && rejoined.result).toEqual({ kind: "ops", version: 1, ops: [] });
    expect(await after.submit(ref, { clientOpId: "w:2", baseVersion: 1, op: [6, "lost"], userId })).toEqual({
      ok: true,
      version: 2,
      duplicate: false,
    });
    expect(await after.submit(ref, { clientOpId: "w:2", baseVersion: 2, op: [6, "lost"], userId })).toEqual({
      ok: true,
      version: 2,
      duplicate: true,
    });
    expect(lostAnswered).toBe(false);
    expect(await storedDocument(ref)).toEqual({ content: "acked lost", version: 2 });
    expect((await storedOps(ref)).map((o) => `${o.clientId}:${o.clientSeq}`)).toEqual(["w:1", "w:2"]);
    await after.close();
  });

  it("recognises an op that was committed but whose ack was lost in a crash", async () => {
    const ref = await newDocument("x");
    const userId = acme.owner.id;
    const crashing = createControlledStore(createPostgresOpStore(t.db));
    const before = createCollabEngine({ store: crashing });
    crashing.setMode("lost_after_write");
    void before.submit(ref, { clientOpId: "w:1", baseVersion: 0, op: [1, "y"], userId });
    await expect.poll(async () => (await storedDocument(ref)).version).toBe(1);

    const after = createCollabEngine({ store: createPostgresOpStore(t.db) });
    const rejoined = await after.join(ref, { lastKnownVersion: 0, hasPending: true });
    expect(rejoined.ok && rejoined.result).toMatchObject({ kind: "ops", ops: [{ version: 1, clientOpId: "w:1" }] });
    expect(await after.submit(ref, { clientOpId: "w:1", baseVersion: 1, op: [2, "y"], userId })).toEqual({
      ok: true,
      version: 1,
      duplicate: true,
    });
    expect(await storedDocument(ref)).toEqual({ content: "xy", version: 1 });
    await after.close();
  });

  it("does not find a document of another organization", async () => {
    const ref = await newDocument("private");
    const engine = createCollabEngine({ store: createPostgresOpStore(t.db) });
    const foreign = { organizationId: globex.organization.id, documentId: ref.documentId };
    const joined = await engine.join(foreign);
    expect(!joined.ok && joined.error.code).toBe("not_found");
    const op = await engine.submit(foreign, {
      clientOpId: "g:1",
      baseVersion: 0,
      op: ["pwned"],
      userId: globex.owner.id,
    });
    expect(!op.ok && op.error.code).toBe("not_found");
    expect(await storedDocument(ref)).toEqual({ content: "private", version: 0 });
    await engine.close();
  });

  it("converges simulated editors with random network delays and reconnects", async () => {
    const ref = await newDocument("The quick brown fox.");
    const editsPerClient = t.target === "embedded" ? 80 : 400;
    const network = createNetwork(createPostgresOpStore(t.db), ref, acme.owner.id, seeded(7));
    const clients = await Promise.all(["ana", "ben", "cyd", "dee", "eli"].map((name) => network.connect(name)));
    await Promise.all(clients.map((c) => c.type(editsPerClient)));
    await network.settle(clients);

    const head = await storedDocument(ref);
    for (const c of clients) {
      expect(c.ot.state).toBe("synchronized");
      expect(c.text()).toBe(head.content);
    }
    const log = await storedOps(ref);
    expect(log).toHaveLength(head.version);
    expect(new Set(log.map((o) => `${o.clientId}:${o.clientSeq}`)).size).toBe(log.length);
    const replayed = log.reduce((text, row) => apply(text, row.op as unknown as TextOp), "The quick brown fox.");
    expect(replayed).toBe(head.content);
    const totals = network.totals;
    expect(totals.edits).toBe(clients.length * editsPerClient);
    expect(totals.reconnects).toBeGreaterThan(0);
    console.info(
      `fuzz (${t.target}): ${clients.length} clients, ${totals.edits} edits, ${totals.sent} ops sent ` +
        `(${totals.resent} resent after a reconnect), ${head.version} committed, ${totals.reconnects} reconnects`,
    );
    await network.engine.close();
  });
});

interface SimClient {
  ot: OtClient;
  text(): string;
  /** Makes `edits` random edits at random intervals, reconnecting now and then. */
  type(edits: number): Promise<void>;
  /** Resolves once nothing is on the wire and no edit is unconfirmed. */
  drain(): Promise<void>;
}

/**
 * Editors talking to an engine the way the socket layer does: each direction is an ordered
 * channel with random delays; a disconnect drops whatever is still on the wire to the editor, and
 * it rejoins with its last version, replays the catch-up and resends its pending op.
 */
function createNetwork(store: OpStore, ref: DocumentRef, userId: string, random: () => number) {
  const totals = { edits: 0, sent: 0, resent: 0, reconnects: 0 };
  const subscribers = new Map<string, (op: CommittedOp) => void>();
  const engine = createCollabEngine({
    store,
    snapshotEveryOps: 200,
    onCommitted: (_ref, op, origin) => {
      for (const [id, deliver] of subscribers) if (id !== origin) deliver(op);
    },
  });
  let clientCount = 0;
  const wait = (maxMs: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.floor(random() * maxMs)));
  const delay = () => wait(4);

  async function connect(name: string): Promise<SimClient> {
    const joined = await engine.join(ref);
    if (!joined.ok || joined.result.kind !== "snapshot") throw new Error("a first join returns the text");
    const ot = new OtClient({ clientId: `${name}-${clientCount++}`, version: joined.result.version });
    let text = joined.result.text;
    let epoch = 0;
    let downlink = Promise.resolve();
    let uplink = Promise.resolve();

    const receive = (at: number, fn: () => void) => {
      downlink = downlink.then(delay).then(() => {
        if (at === epoch) fn();
      });
    };
    const remote = (op: CommittedOp) => {
      const result = ot.onRemote(op.op, op.version, op.clientOpId);
      text = apply(text, result.op);
      if (result.send) send(result.send);
    };
    const sentIds = new Set<string>();
    const send = (out: OutgoingOp) => {
      const at = epoch;
      totals.sent += 1;
      if (sentIds.has(out.clientOpId)) totals.resent += 1;
      sentIds.add(out.clientOpId);
      uplink = uplink.then(delay).then(() => {
        // Lost on the wire when the connection dropped before it was delivered.
        if (at !== epoch) return;
        void engine.submit(ref, {
          ...out,
          userId,
          origin: ot.clientId,
          onSettled: (outcome) => {
            if (!outcome.ok) throw outcome.error;
            receive(at, () => {
              const next = ot.onAck(outcome.version, out.clientOpId);
              if (next) send(next);
            });
          },
        });
      });
    };
    const subscribe = () => subscribers.set(ot.clientId, (op) => receive(epoch, () => remote(op)));
    const reconnect = async () => {
      totals.reconnects += 1;
      // Half the time what is still on the wire is delivered before the connection drops.
      if (random() < 0.5) await uplink;
      epoch += 1;
      subscribers.delete(ot.clientId);
      ot.disconnect();
      await uplink;
      const at = epoch;
      const rejoined = await engine.join(ref, {
        lastKnownVersion: ot.version,
        hasPending: ot.hasUnconfirmedEdits,
        onJoined: (result: JoinResult) => {
          subscribe();
          receive(at, () => {
            if (result.kind !== "ops") throw new Error("a reconnecting editor gets ops");
            for (const op of result.ops) remote(op);
            const pending = ot.resendPending();
            if (pending) send(pending);
          });
        },
      });
      if (!rejoined.ok) throw rejoined.error;
    };
    subscribe();

    return {
      ot,
      text: () => text,
      async type(edits) {
        for (let i = 0; i < edits; i++) {
          await wait(12);
          if (random() < 0.02) await reconnect();
          const op = randomEdit(text, random);
          text = apply(text, op);
          totals.edits += 1;
          const out = ot.applyLocal(op);
          if (out) send(out);
        }
      },
      async drain() {
        for (;;) {
          const [down, up] = [downlink, uplink];
          await Promise.all([up, down]);
          await engine.flush();
          if (down === downlink && up === uplink && ot.state === "synchronized") return;
        }
      },
    };
  }

  return {
    engine,
    totals,
    connect,
    async settle(clients: SimClient[]) {
      for (let round = 0; round < 3; round++) {
        await engine.flush();
        await Promise.all(clients.map((c) => c.drain()));
      }
    },
  };
}
