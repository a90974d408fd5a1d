import { type ErrorCode, type ErrorEnvelope } from "@devflow/contracts";
import { HTTP_STATUS } from "@devflow/contracts";
import { isAppError } from "@devflow/util-core";
import { ZodError } from "zod";

export interface ErrorResponse {
  status: number;
  body: ErrorEnvelope;
  /** True when someone should look at it: logged at error level with its cause and stack. */
  report: boolean;
}

/**
 * The HTTP edge's one error mapper: `AppError` keeps its code and message, a `ZodError` becomes
 * `validation_failed`, framework 4xx errors (bad JSON, body too large) keep their status, and
 * anything else becomes a bare `internal` whose only detail is the request id to quote.
 */
export function toErrorResponse(error: unknown, requestId: string): ErrorResponse {
  if (isAppError(error)) {
    return respond(error.code, HTTP_STATUS[error.code], error.message, error.details, error.report);
  }
  if (error instanceof ZodError) {
    return respond("validation_failed", 400, "The request is not valid.", error.issues, false);
  }
  const status = clientErrorStatus(error);
  if (status !== undefined) {
    return respond(codeForClientStatus(status), status, messageOf(error), undefined, false);
  }
  return respond(
    "internal",
    500,
    `Something went wrong on our side. Quote request id ${requestId} when reporting it.`,
    undefined,
    true,
  );
}

function respond(code: ErrorCode, status: number, message: string, details: unknown, report: boolean): ErrorResponse {
  return { status, report, body: { error: { code, message, ...(details === undefined ? {} : { details }) } } };
}

/* Fastify and its parsers mark the errors that are the caller's fault with a 4xx `statusCode`. */
function clientErrorStatus(error: unknown): number | undefined {
  if (typeof error !== "object" || error === null || !("statusCode" in error)) return undefined;
  const status = error.statusCode;
  return typeof status === "number" && status >= 400 && status < 500 ? status : undefined;
}

function codeForClientStatus(status: number): ErrorCode {
  switch (status) {
    case 401:
      return "unauthenticated";
    case 403:
      return "forbidden";
    case 404:
      return "not_found";
    case 409:
      return "conflict";
    case 413:
      return "payload_too_large";
    case 415:
      return "unsupported_media_type";
    case 429:
      return "rate_limited";
    default:
      return "validation_failed";
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error && error.message ? error.message : "The request could not be processed.";
}
