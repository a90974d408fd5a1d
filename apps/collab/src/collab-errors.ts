import { CLIENT_OP_ID_MAX, COLLAB_PROTOCOL_VERSION, type CollabError, type ErrorCode } from "@devflow/contracts";
import type { Logger } from "@devflow/observability";
import { isAppError, isUuid } from "@devflow/util-core";
import type { ZodError } from "zod";

/** What a refused `doc:join` or `doc:op` acks with, and what `collab:error` carries. */
export type FailedReply = CollabError & { ok: false };

export interface ReplyIds {
  documentId?: string | undefined;
  clientOpId?: string | undefined;
}

export function failure(code: ErrorCode, message: string, ids: ReplyIds = {}): FailedReply {
  return {
    v: COLLAB_PROTOCOL_VERSION,
    ok: false,
    code,
    message,
    ...(ids.documentId !== undefined && { documentId: ids.documentId }),
    ...(ids.clientOpId !== undefined && { clientOpId: ids.clientOpId }),
  };
}

export function invalidPayload(event: string, error: ZodError, ids: ReplyIds = {}): FailedReply {
  const issue = error.issues[0];
  const where = issue && issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "";
  return failure("validation_failed", `Invalid ${event} payload${where}: ${issue?.message ?? "malformed"}`, ids);
}

/**
 * The socket edge's one error mapper: an `AppError` keeps its code and message; anything else is
 * logged and becomes `internal`, so nothing about the failure leaks to the client.
 */
export function toFailure(error: unknown, logger: Logger, ids: ReplyIds = {}): FailedReply {
  if (isAppError(error)) {
    if (error.report) logger.error({ err: error, ...ids }, error.message);
    return failure(error.code, error.message, ids);
  }
  logger.error({ err: error, ...ids }, "a collab event failed");
  return failure("internal", "Something went wrong on the live editing service; try again", ids);
}

/** Picks ids out of a payload that failed validation, so the client can tell which request failed. */
export function idsOf(payload: unknown): ReplyIds {
  if (typeof payload !== "object" || payload === null) return {};
  const { documentId, clientOpId } = payload as Record<string, unknown>;
  return {
    documentId: typeof documentId === "string" && isUuid(documentId) ? documentId : undefined,
    clientOpId:
      typeof clientOpId === "string" && clientOpId.length > 0 && clientOpId.length <= CLIENT_OP_ID_MAX
        ? clientOpId
        : undefined,
  };
}

export function rateLimited(ids: { documentId?: string | undefined; clientOpId?: string | undefined }): FailedReply {
  return failure("rate_limited", "Too many edits at once; slow down", ids);
}

export function isFailure(message: unknown): message is FailedReply {
  return typeof message === "object" && message !== null && (message as { ok?: unknown }).ok === false;
}
