import type { IntegrationProvider } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";
import CircuitBreaker from "opossum";
import { OutsideServiceRejectedError, OutsideServiceUnavailableError, RateLimitedError } from "./errors";

/** Where breaker state changes are written; a pino `Logger` fits. */
export interface BreakerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
}

export type BreakerState = "closed" | "open" | "half_open";

export interface ResilientCallerOptions {
  /** The breaker's key, `<service>:<organization or installation id>` (see `breakerKey`); names it in logs and errors. */
  name: string;
  /** How long one call may take before it is aborted and counted as a failure. */
  timeoutMs: number;
  /** Percentage of failed calls in the rolling window above which the breaker opens. */
  errorThresholdPercentage: number;
  /** How long the breaker stays open before letting one trial call through (half-open). */
  resetTimeoutMs: number;
  /** Calls needed in the rolling window before the breaker may open, so one early failure does not trip it. */
  volumeThreshold: number;
  /** Length of the rolling window the error percentage is computed over. Defaults to 10 s (opossum's default). */
  rollingWindowMs?: number;
  /** Receives one line per state change and per rate limit. */
  logger?: BreakerLogger;
  /** Called on every state change with the breaker's name, e.g. to set a metrics gauge. */
  onStateChange?: (state: BreakerState, name: string) => void;
}

/** Runs calls to one outside service for one tenant behind a timeout, a circuit breaker and rate-limit backoff. */
export interface ResilientCaller {
  readonly name: string;
  readonly state: BreakerState;
  /**
   * Runs `fn` with an AbortSignal that fires when the timeout does. `fn` should throw the typed errors from
   * `errors.ts` (the clients map their SDK's errors): rejections and rate limits do not count as failures.
   * Throws `OutsideServiceUnavailableError` when the breaker is open or the call times out, and
   * `RateLimitedError` without calling while a rate limit from this service is still in force.
   */
  call<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T>;
  /** Stops the breaker's timers; later calls fail as unavailable. */
  shutdown(): void;
}

type Call = (signal: AbortSignal) => Promise<unknown>;

/**
 * A caller whose circuit breaker is opossum's: it opens when more than `errorThresholdPercentage` of at least
 * `volumeThreshold` calls in the rolling window failed (5xx, timeout, no answer), refuses calls while open,
 * and after `resetTimeoutMs` lets one trial call through that closes it again or re-opens it. 4xx rejections
 * are filtered out of the failure count. A rate limit opens nothing, but calls are refused locally until the
 * service's reset time, so we stop spending a quota we do not have.
 */
export function createResilientCaller(options: ResilientCallerOptions): ResilientCaller {
  const { name, logger } = options;
  const breaker = new CircuitBreaker<[Call, AbortController], unknown>((fn, controller) => fn(controller.signal), {
    name,
    timeout: options.timeoutMs,
    errorThresholdPercentage: options.errorThresholdPercentage,
    resetTimeout: options.resetTimeoutMs,
    volumeThreshold: options.volumeThreshold,
    rollingCountTimeout: options.rollingWindowMs ?? 10_000,
    // Nothing reads opossum's periodic stats snapshots; one fewer timer per tenant breaker.
    enableSnapshots: false,
    // Filtered errors count as successes: the service answered, it just said no (or "not so fast").
    errorFilter: (error: unknown) => error instanceof OutsideServiceRejectedError || error instanceof RateLimitedError,
  });
  let rateLimitedUntil = 0;

  const report = (state: BreakerState, message: string, warn: boolean) => {
    if (warn) logger?.warn({ breaker: name, state }, message);
    else logger?.info({ breaker: name, state }, message);
    options.onStateChange?.(state, name);
  };
  breaker.on("open", () =>
    report("open", `circuit for ${name} opened: calls fail fast for ${options.resetTimeoutMs} ms`, true),
  );
  breaker.on("halfOpen", () =>
    report("half_open", `circuit for ${name} half-open: letting one trial call through`, false),
  );
  breaker.on("close", () => report("closed", `circuit for ${name} closed`, false));

  return {
    name,
    get state(): BreakerState {
      if (breaker.opened) return "open";
      return breaker.halfOpen ? "half_open" : "closed";
    },

    async call<T>(operation: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
      const waitMs = rateLimitedUntil - Date.now();
      if (waitMs > 0) throw new RateLimitedError(name, waitMs / 1000, `${operation} not sent: still rate limited`);

      const controller = new AbortController();
      try {
        return (await breaker.fire(fn, controller)) as T;
      } catch (error) {
        // Timed out or failed: abort whatever is still in flight so a slow server does not hold the socket.
        controller.abort();
        if (error instanceof RateLimitedError) {
          rateLimitedUntil = Math.max(rateLimitedUntil, Date.now() + error.retryAfterSeconds * 1000);
          logger?.warn(
            { breaker: name, operation, retryAfterSeconds: error.retryAfterSeconds },
            `${name} rate limited us: refusing calls for ${error.retryAfterSeconds}s`,
          );
        }
        throw toTypedError(name, operation, options.timeoutMs, error);
      }
    },

    shutdown() {
      breaker.shutdown();
    },
  };
}

/** Opossum's own errors carry a `code`; everything else came from the call. */
function toTypedError(name: string, operation: string, timeoutMs: number, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "EOPENBREAKER" || code === "ESHUTDOWN") {
    return new OutsideServiceUnavailableError(name, "circuit_open", `${operation} not sent: circuit is open`);
  }
  if (code === "ETIMEDOUT" && CircuitBreaker.isOurError(error as Error)) {
    return new OutsideServiceUnavailableError(name, "timeout", `${operation} timed out after ${timeoutMs} ms`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new OutsideServiceUnavailableError(name, "network", `${operation} failed: ${message}`, { cause: error });
}

export interface ResilientCallerRegistry {
  /** The caller for `key` (see `breakerKey`), created with the registry's options on first use. */
  get(key: string): ResilientCaller;
  /** Stops every breaker's timers (process shutdown, tests). */
  shutdown(): void;
}

/**
 * The breaker settings every app uses for outside services: a call over 10 s counts as failed,
 * and after 5 calls in the window, half of them failing opens the breaker for 30 s.
 */
export const OUTSIDE_CALL_BREAKER_DEFAULTS: Omit<ResilientCallerOptions, "name"> = {
  timeoutMs: 10_000,
  errorThresholdPercentage: 50,
  resetTimeoutMs: 30_000,
  volumeThreshold: 5,
};

/**
 * One breaker per key, so one organization's broken Jira (or revoked GitHub installation) fails fast for
 * that organization only, while every other tenant's calls to the same service go on.
 */
export function createResilientCallerRegistry(defaults: Omit<ResilientCallerOptions, "name">): ResilientCallerRegistry {
  const callers = new Map<string, ResilientCaller>();
  return {
    get(key) {
      let caller = callers.get(key);
      if (!caller) {
        caller = createResilientCaller({ ...defaults, name: key });
        callers.set(key, caller);
      }
      return caller;
    },
    shutdown() {
      for (const caller of callers.values()) caller.shutdown();
      callers.clear();
    },
  };
}

/** The registry key for a service and the organization (or GitHub installation) whose credentials it uses. */
export function breakerKey(service: IntegrationProvider, tenantId: string): string {
  return `${service}:${tenantId}`;
}
