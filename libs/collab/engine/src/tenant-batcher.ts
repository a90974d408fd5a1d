import type { DocumentRef } from "./op-store";

/** What one request of a group came to: its value, or the error it alone is refused with. */
export type GroupOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs several requests of one organization together (one transaction, one statement). Returns
 * one outcome per request, in order. Throws when the group as a whole failed: then every request
 * of it is rejected with that error.
 */
export type RunGroup<I, R> = (organizationId: string, items: readonly I[]) => Promise<GroupOutcome<R>[]>;

export interface TenantBatcherOptions<I> {
  /**
   * Groups in flight at once. While all are busy, new requests queue and the next free slot
   * takes the queued requests of one organization together.
   */
  maxConcurrent: number;
  /** Most requests in one group. */
  maxItems: number;
  /** Most total weight in one group; a single request heavier than this still goes, alone. */
  maxWeight?: number;
  /** A request's weight (e.g. its op count); 1 by default. */
  weigh?: (item: I) => number;
  /** At most one request per document in a group (when the second builds on the first). */
  onePerDocument?: boolean;
}

export interface TenantBatcher<I, R> {
  /** Resolves with the request's value, or rejects with its own error or its group's failure. */
  run(item: I): Promise<R>;
  /** Requests waiting for a slot (not yet in a group). */
  readonly queued: number;
}

interface Queued<I, R> {
  item: I;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Batching across documents without a timer. Under light load every request starts its own group
 * at once, so nothing waits to be batched; only while `maxConcurrent` groups are already running
 * do requests queue, and each freed slot runs the queued requests of one organization (the
 * oldest request's: a transaction runs in one tenant) as one group, oldest first. The busier the
 * database, the bigger the groups, and the fewer transactions, round trips and WAL flushes each
 * request costs.
 */
export function createTenantBatcher<I extends { ref: DocumentRef }, R>(
  runGroup: RunGroup<I, R>,
  options: TenantBatcherOptions<I>,
): TenantBatcher<I, R> {
  const { maxConcurrent, maxItems, maxWeight = Infinity, weigh = () => 1, onePerDocument = false } = options;
  if (!(maxConcurrent >= 1 && maxItems >= 1 && maxWeight >= 1)) {
    throw new RangeError("Batcher limits must be at least 1");
  }
  let queue: Queued<I, R>[] = [];
  let inFlight = 0;

  const takeGroup = (): Queued<I, R>[] => {
    const organizationId = queue[0]!.item.ref.organizationId;
    const group: Queued<I, R>[] = [];
    const documents = new Set<string>();
    const rest: Queued<I, R>[] = [];
    let weight = 0;
    for (const entry of queue) {
      const { ref } = entry.item;
      const fits =
        group.length === 0 ||
        (group.length < maxItems &&
          weight + weigh(entry.item) <= maxWeight &&
          ref.organizationId === organizationId &&
          !(onePerDocument && documents.has(ref.documentId)));
      if (fits) {
        group.push(entry);
        documents.add(ref.documentId);
        weight += weigh(entry.item);
      } else {
        rest.push(entry);
      }
    }
    queue = rest;
    return group;
  };

  const settle = async (group: Queued<I, R>[]): Promise<void> => {
    try {
      const outcomes = await runGroup(
        group[0]!.item.ref.organizationId,
        group.map((entry) => entry.item),
      );
      group.forEach((entry, i) => {
        const outcome = outcomes[i];
        if (!outcome) entry.reject(new Error("The group returned no outcome for this request"));
        else if (outcome.ok) entry.resolve(outcome.value);
        else entry.reject(outcome.error);
      });
    } catch (error) {
      for (const entry of group) entry.reject(error);
    }
  };

  const pump = (): void => {
    while (inFlight < maxConcurrent && queue.length > 0) {
      inFlight += 1;
      void settle(takeGroup()).finally(() => {
        inFlight -= 1;
        pump();
      });
    }
  };

  return {
    run(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    get queued() {
      return queue.length;
    },
  };
}
