import type { DocumentRef } from "./op-store";
import type { AcquireResult, DocumentLease, DocumentOwnership } from "./ownership";

/** The one Redis command the lease needs; an ioredis client fits as it is. */
export interface RedisScriptClient {
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

export interface RedisOwnershipOptions {
  client: RedisScriptClient;
  /** This instance, unique per process: other instances forward a document's work to it while it owns it. */
  instanceId: string;
  /** Prepended to every key, so deployments (and test runs) sharing one Redis stay apart. */
  keyPrefix: string;
  /** How long a lease lives without renewal: the longest a dead owner keeps its documents. */
  leaseTtlMs: number;
  /** How often a held lease is renewed; a third of the TTL by default, so two renewals may fail in a row. */
  renewEveryMs?: number;
  /** A renewal that failed without losing the lease (Redis unreachable); the next one tries again. */
  onRenewalError?: (ref: DocumentRef, error: unknown) => void;
}

export interface RedisOwnership extends DocumentOwnership {
  /** Leases held by this instance right now. */
  readonly heldLeases: number;
}

/**
 * Takes the lease if nobody holds it. The fencing counter is a separate key without expiry, so a
 * token handed out once is never handed out again, whatever happens to the lease key.
 * Returns [1, token] when acquired, [0, "<owner> <token>"] when someone else holds it.
 */
const ACQUIRE = `
local current = redis.call('GET', KEYS[1])
if current then return {0, current} end
local token = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1] .. ' ' .. token, 'NX', 'PX', ARGV[2])
return {1, token}`;

/** Extends the lease only while it still carries this holder's value (compare-and-pexpire). */
const RENEW = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0`;

/** Deletes the lease only while it is still this holder's, never a successor's. */
const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Document ownership as a lease per document in Redis: `<prefix>lease:<organization>/<document>`
 * holds "<instance> <token>" with a TTL, renewed while the sequencer lives, and
 * `<prefix>fence:<organization>/<document>` counts the fencing tokens. When the owner dies its
 * lease expires and the next instance that gets work for the document acquires it with a higher
 * token. A holder that cannot confirm its lease before it would have expired (renewal refused, or
 * Redis unreachable that long) aborts `lost`: another instance may own the document by then.
 */
export function createRedisOwnership(options: RedisOwnershipOptions): RedisOwnership {
  const { client, instanceId, keyPrefix, leaseTtlMs } = options;
  if (!Number.isSafeInteger(leaseTtlMs) || leaseTtlMs < 1) {
    throw new Error(`leaseTtlMs must be a positive integer, got ${leaseTtlMs}`);
  }
  if (instanceId.length === 0 || /\s/.test(instanceId)) {
    throw new Error(`instanceId must be non-empty and without spaces, got "${instanceId}"`);
  }
  const renewEveryMs = options.renewEveryMs ?? Math.max(1, Math.floor(leaseTtlMs / 3));
  let held = 0;

  const keysOf = (ref: DocumentRef) => {
    const id = `${ref.organizationId}/${ref.documentId}`;
    return { lease: `${keyPrefix}lease:${id}`, fence: `${keyPrefix}fence:${id}` };
  };

  const hold = (ref: DocumentRef, leaseKey: string, fencingToken: number, startedAt: number): DocumentLease => {
    const value = `${instanceId} ${fencingToken}`;
    const controller = new AbortController();
    /** The lease is certainly ours until then: measured from when the last successful renewal was sent. */
    let validUntil = startedAt + leaseTtlMs;
    let released = false;
    held += 1;

    const stop = () => {
      if (released) return;
      released = true;
      held -= 1;
      clearInterval(timer);
    };
    const lose = () => {
      stop();
      controller.abort(new Error(`Lost the lease on document ${ref.documentId}`));
    };

    const renew = async () => {
      const sentAt = Date.now();
      try {
        const renewed = await client.eval(RENEW, 1, leaseKey, value, leaseTtlMs);
        if (released) return;
        if (Number(renewed) === 1) validUntil = sentAt + leaseTtlMs;
        else lose();
      } catch (error) {
        if (released) return;
        options.onRenewalError?.(ref, error);
        if (Date.now() >= validUntil) lose();
      }
    };
    const timer = setInterval(() => void renew(), renewEveryMs);
    timer.unref?.();

    return {
      fencingToken,
      lost: controller.signal,
      async release() {
        if (released) return;
        stop();
        await client.eval(RELEASE, 1, leaseKey, value);
      },
    };
  };

  return {
    async acquire(ref): Promise<AcquireResult> {
      const keys = keysOf(ref);
      const startedAt = Date.now();
      const reply = await client.eval(ACQUIRE, 2, keys.lease, keys.fence, instanceId, leaseTtlMs);
      const [acquired, detail] = parseAcquireReply(reply);
      if (acquired) return { owned: true, lease: hold(ref, keys.lease, Number(detail), startedAt) };
      return { owned: false, ownerId: detail.slice(0, detail.lastIndexOf(" ")) };
    },
    get heldLeases() {
      return held;
    },
  };
}

function parseAcquireReply(reply: unknown): [boolean, string] {
  if (Array.isArray(reply) && reply.length === 2 && (reply[0] === 0 || reply[0] === 1)) {
    return [reply[0] === 1, String(reply[1])];
  }
  throw new Error(`Unexpected reply from the lease script: ${JSON.stringify(reply)}`);
}
