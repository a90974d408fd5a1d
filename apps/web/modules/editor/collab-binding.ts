import type { TextOp } from "@devflow/collab-ot";
import type { CollabSession } from "@devflow/web-data-access";
import { Transaction, type EditorState, type TransactionSpec } from "@codemirror/state";
import { EditorView } from "@codemirror/view";
import { changeSetToOp, opToChangeSet } from "./op-conversion";

/** Marks a change as someone else's: it is not sent back, and undo does not take it back. */
const remoteAnnotations = [Transaction.remote.of(true), Transaction.addToHistory.of(false)];

/** Applies a remote op (already transformed for this text); the local selection is mapped over it. */
export function remoteOpTransaction(state: EditorState, op: TextOp): TransactionSpec {
  return { changes: opToChangeSet(op, state.doc.length), annotations: remoteAnnotations };
}

/**
 * Replaces the whole text with the server's, touching only the span that differs so that the
 * caret and scroll position survive a rejoin that changed little or nothing.
 */
export function replaceTextTransaction(state: EditorState, text: string): TransactionSpec {
  const current = state.doc.toString();
  if (current === text) return { annotations: remoteAnnotations };
  let start = 0;
  const shorter = Math.min(current.length, text.length);
  while (start < shorter && current.charCodeAt(start) === text.charCodeAt(start)) start++;
  let end = 0;
  while (
    end < shorter - start &&
    current.charCodeAt(current.length - 1 - end) === text.charCodeAt(text.length - 1 - end)
  ) {
    end++;
  }
  // Never cut between the halves of a surrogate pair.
  if (start > 0 && isHighSurrogate(current.charCodeAt(start - 1))) start--;
  if (end > 0 && isLowSurrogate(current.charCodeAt(current.length - end))) end--;
  return {
    changes: { from: start, to: current.length - end, insert: text.slice(start, text.length - end) },
    annotations: remoteAnnotations,
  };
}

/** The ops for the edits the user made in these transactions, in order; remote ones are skipped. */
export function localOpsOf(transactions: readonly Transaction[]): TextOp[] {
  const ops: TextOp[] = [];
  for (const tr of transactions) {
    if (tr.docChanged && !tr.annotation(Transaction.remote)) ops.push(changeSetToOp(tr.changes));
  }
  return ops;
}

/** Sends the user's edits and caret to the session as the editor reports them. */
export function collabSync(session: CollabSession) {
  return EditorView.updateListener.of((update) => {
    for (const op of localOpsOf(update.transactions)) session.applyLocal(op);
    if (update.selectionSet || update.docChanged || update.focusChanged) {
      const { anchor, head } = update.state.selection.main;
      session.setSelection(update.view.hasFocus ? { anchor, head } : null);
    }
  });
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
