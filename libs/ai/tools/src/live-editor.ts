import type { TextOp } from "@devflow/collab-ot";
import type { ToolCallContext } from "./tool";

/** An op on a document's text at `baseVersion`, to be committed through the live collaboration service. */
export interface LiveEdit {
  documentId: string;
  baseVersion: number;
  op: TextOp;
  /** Where the agent's caret sits after the op, on the text at `baseVersion` with the op applied. */
  caret: number;
}

export interface LiveEditOutcome {
  /** The version the op was committed at (durable when this resolves). */
  version: number;
  /** Ops by others committed after `baseVersion` that the op was transformed over. */
  concurrentOps: number;
}

/**
 * Applies an agent's edit the way a person's editor would: through the collab service, which
 * transforms it over whatever was typed since `baseVersion`, stores it, and shows it live (and the
 * agent in presence) to everyone in the document. Rejects with an AppError: `forbidden` when the
 * caller may not edit, `not_found` for a document they cannot see, `conflict` when `baseVersion`
 * is older than the history the service keeps, `unavailable` when the service cannot be reached.
 */
export interface LiveDocumentEditor {
  apply(call: ToolCallContext, edit: LiveEdit): Promise<LiveEditOutcome>;
}
