import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DocumentRef } from "./op-store";
import type { DocumentLease } from "./ownership";
import { createRedisOwnership, type RedisScriptClient } from "./redis-ownership";

const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
const keyPrefix = `test:lease:${randomUUID()}:`;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(REDIS_URL);
});
afterAll(async () => {
  const keys = await redis.keys(`${keyPrefix}*`);
  if (keys.length > 0) await redis.del(...keys);
  await redis.quit();
});

const newRef = (): DocumentRef => ({ organizationId: randomUUID(), documentId: randomUUID() });
const leaseKey = (ref: DocumentRef) => `${keyPrefix}lease:${ref.organizationId}/${ref.documentId}`;

/** A client that counts renewals and can be cut off, as when an instance loses Redis or dies. */
function controlledClient() {
  let cut = false;
  let renewals = 0;
  const client: RedisScriptClient = {
    async eval(script, numKeys, ...args) {
      if (cut) throw new Error("connection lost");
      const reply = await redis.eval(script, numKeys, ...args);
      if (script.includes("PEXPIRE")) renewals += 1;
      return reply;
    },
  };
  return {
    client,
    cut: () => (cut = true),
    get renewals() {
      return renewals;
    },
  };
}

function instance(instanceId: string, leaseTtlMs = 300, client: RedisScriptClient = redis) {
  return createRedisOwnership({ client, instanceId, keyPrefix, leaseTtlMs });
}

async function ownedLease(result: Awaited<ReturnType<ReturnType<typeof instance>["acquire"]>>): Promise<DocumentLease> {
  if (!result.owned) throw new Error(`expected to own the document, ${result.ownerId} does`);
  return result.lease;
}

function lostReason(lease: DocumentLease): Promise<unknown> {
  return new Promise((resolve) => lease.lost.addEventListener("abort", () => resolve(lease.lost.reason)));
}

describe("Redis document ownership", () => {
  it("gives a free document to the first instance and names it as the owner to the others", async () => {
    const ref = newRef();
    const a = instance("collab-a");
    const lease = await ownedLease(await a.acquire(ref));
    expect(await instance("collab-b").acquire(ref)).toEqual({ owned: false, ownerId: "collab-a" });
    expect(await redis.get(leaseKey(ref))).toBe(`collab-a ${lease.fencingToken}`);
    expect(a.heldLeases).toBe(1);
    await lease.release();
    expect(a.heldLeases).toBe(0);
  });

  it("lets exactly one of several instances win a contended document", async () => {
    const ref = newRef();
    const instances = ["a", "b", "c", "d", "e"].map((name) => instance(`collab-${name}`));
    const results = await Promise.all(instances.map((o) => o.acquire(ref)));
    const winners = results.filter((r) => r.owned);
    expect(winners).toHaveLength(1);
    const winner = `collab-${["a", "b", "c", "d", "e"][results.findIndex((r) => r.owned)]}`;
    for (const result of results) if (!result.owned) expect(result.ownerId).toBe(winner);
    await Promise.all(winners.map((w) => w.owned && w.lease.release()));
  });

  it("keeps a renewed lease well past its TTL", async () => {
    const ref = newRef();
    const controlled = controlledClient();
    const startedAt = Date.now();
    const lease = await ownedLease(await instance("collab-a", 150, controlled.client).acquire(ref));
    await expect.poll(() => controlled.renewals, { timeout: 5_000 }).toBeGreaterThanOrEqual(7);
    expect(Date.now() - startedAt).toBeGreaterThan(300);
    expect(await instance("collab-b").acquire(ref)).toEqual({ owned: false, ownerId: "collab-a" });
    expect(lease.lost.aborted).toBe(false);
    await lease.release();
  });

  it("hands a dead owner's document to the next instance with a higher fencing token once the lease expired", async () => {
    const ref = newRef();
    const dying = controlledClient();
    const first = await ownedLease(await instance("collab-a", 200, dying.client).acquire(ref));
    const lost = lostReason(first);
    dying.cut();

    const b = instance("collab-b", 200);
    expect(await b.acquire(ref)).toEqual({ owned: false, ownerId: "collab-a" });
    // The dead owner's own view: it cannot confirm the lease, so it gives it up once it would have expired.
    expect(String(await lost)).toMatch(/Lost the lease/);
    let second: DocumentLease | null = null;
    await expect
      .poll(
        async () => {
          const result = await b.acquire(ref);
          if (result.owned) second = result.lease;
          return result.owned;
        },
        { timeout: 5_000, interval: 50 },
      )
      .toBe(true);
    expect(second!.fencingToken).toBeGreaterThan(first.fencingToken);
    expect(await redis.get(leaseKey(ref))).toBe(`collab-b ${second!.fencingToken}`);
    await second!.release();
  });

  it("aborts `lost` when a renewal finds the lease in someone else's hands", async () => {
    const ref = newRef();
    const lease = await ownedLease(await instance("collab-a", 300).acquire(ref));
    const lost = lostReason(lease);
    // As if the lease had expired during a long pause and another instance had taken it.
    await redis.set(leaseKey(ref), "collab-b 999", "PX", 10_000);
    expect(String(await lost)).toMatch(/Lost the lease/);
    await lease.release();
    expect(await redis.get(leaseKey(ref))).toBe("collab-b 999");
  });

  it("releases only its own lease, never a successor's", async () => {
    const ref = newRef();
    const a = instance("collab-a", 60_000);
    const b = instance("collab-b", 60_000);
    const stale = await ownedLease(await a.acquire(ref));
    await redis.del(leaseKey(ref));
    const current = await ownedLease(await b.acquire(ref));
    await stale.release();
    expect(await redis.get(leaseKey(ref))).toBe(`collab-b ${current.fencingToken}`);

    await current.release();
    expect(await redis.get(leaseKey(ref))).toBeNull();
    const next = await ownedLease(await a.acquire(ref));
    expect(next.fencingToken).toBeGreaterThan(current.fencingToken);
    await next.release();
  });

  it("keeps each document's fencing tokens separate and growing", async () => {
    const [one, two] = [newRef(), newRef()];
    const a = instance("collab-a", 60_000);
    const tokens: number[] = [];
    for (let i = 0; i < 3; i++) {
      const lease = await ownedLease(await a.acquire(one));
      tokens.push(lease.fencingToken);
      await lease.release();
    }
    expect(tokens).toEqual([tokens[0], tokens[0]! + 1, tokens[0]! + 2]);
    const other = await ownedLease(await a.acquire(two));
    expect(other.fencingToken).toBe(1);
    await other.release();
  });

  it("refuses a TTL or an instance id it cannot work with", () => {
    expect(() => instance("collab-a", 0)).toThrow(/leaseTtlMs/);
    expect(() => instance("collab a", 100)).toThrow(/instanceId/);
  });
});
