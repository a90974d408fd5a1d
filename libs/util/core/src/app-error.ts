import type { ErrorCode } from "@devflow/contracts";

export interface AppErrorOptions {
  /** The underlying error, logged but never sent to clients. */
  cause?: unknown;
  /** Machine-readable extra detail that is safe to show (field errors, limits). */
  details?: unknown;
  /** False for expected conditions (not found, validation) so they do not page anyone. */
  report?: boolean;
  /** For jobs: whether running again could succeed. */
  retryable?: boolean;
}

/**
 * The one error type domain code throws. Each edge maps it once: HTTP to the error envelope,
 * sockets to a failed ack, MCP to an `isError` result, jobs to retry or dead-letter.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;
  readonly report: boolean;
  readonly retryable: boolean;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.details = options.details;
    this.report = options.report ?? (code === "internal" || code === "unavailable");
    this.retryable = options.retryable ?? (code === "unavailable" || code === "rate_limited");
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}

export function notFound(what: string, id: string): AppError {
  return new AppError("not_found", `${what} ${id} was not found`, { report: false });
}

export function forbidden(message: string): AppError {
  return new AppError("forbidden", message, { report: false });
}
