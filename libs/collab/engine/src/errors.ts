import { InvalidOpError, RebaseError } from "@devflow/collab-ot";
import type { ErrorCode } from "@devflow/contracts";
import { AppError } from "@devflow/util-core";

export type CollabEngineErrorReason =
  /** The document does not exist in the organization. */
  | "document_not_found"
  /** The op failed `parseOp`/`checkOpFits` (shape, op size, 1 MB document limit). */
  | "invalid_op"
  /** The client op id is not `${clientId}:${sequence}`. */
  | "invalid_client_op_id"
  /** The client op id was committed by someone else. */
  | "client_op_id_taken"
  /** A base version or last known version the server never produced. */
  | "future_version"
  /** Older than the history the server serves: rejoin without pending edits and take the text. */
  | "expired_version"
  /** The store failed or moved under the sequencer; nothing was acked, resend after rejoining. */
  | "commit_failed"
  /** Another instance runs this document's sequencer. */
  | "not_owner"
  /** The engine is shutting down. */
  | "closing";

/**
 * Why the engine refused a join or an op. The state of the document never changes when one is
 * returned. `code` is the contracts `ErrorCode` the socket edge sends back.
 */
export class CollabEngineError extends AppError {
  constructor(
    readonly reason: CollabEngineErrorReason,
    code: ErrorCode,
    message: string,
    options: { cause?: unknown; report?: boolean } = {},
  ) {
    super(code, message, { report: options.report ?? false, cause: options.cause, details: { reason } });
    this.name = "CollabEngineError";
  }
}

/** Maps what the OT layer and the store throw to an engine error; unknown failures become `commit_failed`. */
export function toEngineError(error: unknown): CollabEngineError {
  if (error instanceof CollabEngineError) return error;
  if (error instanceof InvalidOpError) return new CollabEngineError("invalid_op", error.code, error.message);
  if (error instanceof RebaseError) {
    const reason = error.reason === "expired_version" ? "expired_version" : "future_version";
    return new CollabEngineError(reason, error.code, error.message);
  }
  return new CollabEngineError("commit_failed", "unavailable", "The document could not be saved; rejoin and resend", {
    cause: error,
    report: true,
  });
}

export function documentNotFound(documentId: string): CollabEngineError {
  return new CollabEngineError("document_not_found", "not_found", `Document ${documentId} was not found`);
}
