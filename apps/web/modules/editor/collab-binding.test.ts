import { EditorSelection, EditorState, Transaction } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import { localOpsOf, remoteOpTransaction, replaceTextTransaction } from "./collab-binding";
import { LINE_SEPARATOR } from "./op-conversion";

function stateOf(doc: string, cursor = 0): EditorState {
  return EditorState.create({
    doc,
    selection: EditorSelection.cursor(cursor),
    extensions: [EditorState.lineSeparator.of(LINE_SEPARATOR)],
  });
}

describe("collab binding", () => {
  it("applies a remote op without sending it back, keeping the local caret in place", () => {
    const state = stateOf("hello world", 6);
    const tr = state.update(remoteOpTransaction(state, ["> ", 6, { d: 5 }, "there"]));
    expect(tr.state.doc.toString()).toBe("> hello there");
    expect(tr.state.selection.main.head).toBe(8);
    expect(tr.annotation(Transaction.remote)).toBe(true);
    expect(tr.annotation(Transaction.addToHistory)).toBe(false);
    expect(localOpsOf([tr])).toEqual([]);
  });

  it("reports the user's own edits as ops, in order", () => {
    const state = stateOf("abc");
    const first = state.update({ changes: { from: 3, insert: "d" } });
    const second = first.state.update({ changes: { from: 0, to: 1 } });
    expect(localOpsOf([first, second])).toEqual([[3, "d"], [{ d: 1 }]]);
  });

  it("replaces only the part of the text that differs", () => {
    const state = stateOf("# Title\nbody text", 3);
    const tr = state.update(replaceTextTransaction(state, "# Title\nnew body text"));
    expect(tr.state.doc.toString()).toBe("# Title\nnew body text");
    expect(tr.state.selection.main.head).toBe(3);
    expect(tr.changes.length).toBe(state.doc.length);
    expect(localOpsOf([tr])).toEqual([]);
  });

  it("does not split a surrogate pair when replacing text", () => {
    const state = stateOf("a😀b");
    const tr = state.update(replaceTextTransaction(state, "a😃b"));
    expect(tr.state.doc.toString()).toBe("a😃b");
  });

  it("throws when a remote op does not fit the text, so the session can resync", () => {
    const state = stateOf("ab");
    expect(() => state.update(remoteOpTransaction(state, [5, "x"]))).toThrow();
  });
});
