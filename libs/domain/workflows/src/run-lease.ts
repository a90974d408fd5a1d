import type { Database, TenantContext, Tx } from "@devflow/db";
import type { Logger } from "@devflow/observability";
import * as repo from "./workflow-runs.repository";

/** The run was taken over by another delivery (ours lapsed): stop, and write nothing more. */
export class LeaseLostError extends Error {
  override name = "LeaseLostError";
  constructor(runId: string) {
    super(`Workflow run ${runId} is no longer leased to this delivery; another one took it over`);
  }
}

export interface HeldLease {
  /** This delivery's token, stored on the run while it holds the lease. */
  readonly token: string;
  /** Aborted with a LeaseLostError once the lease is found lost. */
  readonly signal: AbortSignal;
  /**
   * Runs `fn` in a transaction of the run's organization that first extends the lease — and
   * throws LeaseLostError, writing nothing, when this delivery no longer holds it. Every write of
   * the runner goes through here, so a delivery that was presumed dead cannot overwrite the work
   * of the one that replaced it.
   */
  fenced<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** Stops renewing; resolves once a renewal in flight has settled. */
  stop(): Promise<void>;
}

export interface LeaseOptions {
  runId: string;
  token: string;
  leaseMs: number;
  now: () => Date;
  logger: Logger;
}

/**
 * Keeps a claimed run's lease alive while its steps run: renewed by every write and, between
 * writes (a long step, a backoff), by a heartbeat every third of the lease. A heartbeat that fails
 * for a database error is only logged: the lease lapses if that persists, and the next write finds out.
 */
export function holdLease(db: Database, tenant: TenantContext, options: LeaseOptions): HeldLease {
  const { runId, token, leaseMs, now, logger } = options;
  const lost = new AbortController();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let inFlight: Promise<void> | null = null;
  let isStopped = false;

  async function fenced<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    if (lost.signal.aborted) throw lost.signal.reason;
    return db.withTenant(tenant, async (tx) => {
      const isHeld = await repo.renewLease(tx, runId, token, new Date(now().getTime() + leaseMs));
      if (!isHeld) {
        const error = new LeaseLostError(runId);
        lost.abort(error);
        throw error;
      }
      return fn(tx);
    });
  }

  function schedule() {
    if (isStopped || lost.signal.aborted) return;
    timer = setTimeout(() => {
      inFlight = fenced(async () => {})
        .catch((error: unknown) => {
          if (!(error instanceof LeaseLostError)) logger.warn({ err: error }, "could not renew a workflow run's lease");
        })
        .finally(() => {
          inFlight = null;
          schedule();
        });
    }, leaseMs / 3);
    // A heartbeat alone must not keep a stopping process alive.
    timer.unref?.();
  }
  schedule();

  return {
    token,
    signal: lost.signal,
    fenced,
    async stop() {
      isStopped = true;
      if (timer) clearTimeout(timer);
      await inFlight;
    },
  };
}
