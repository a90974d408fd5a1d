import { EditorState } from "@codemirror/state";
import { describe, expect, it } from "vitest";
import {
  commentAnchors,
  commentAnchorsOf,
  commentDraftOf,
  placeCommentAnchors,
  setCommentDraft,
} from "./comment-anchors";

const TEXT = "The cache keeps entries for one hour.";
const FROM = TEXT.indexOf("entries");
const TO = FROM + "entries".length;

function withAnchor() {
  const state = EditorState.create({ doc: TEXT, extensions: commentAnchors(() => {}) });
  return state.update({
    effects: placeCommentAnchors.of(new Map([["t1", { from: FROM, to: TO, isResolved: false, isOutdated: false }]])),
  }).state;
}

const anchored = (state: EditorState) => {
  const place = commentAnchorsOf(state).get("t1")!;
  return { text: state.sliceDoc(place.from, place.to), isOutdated: place.isOutdated };
};

describe("comment anchors in the editor", () => {
  it("move with text typed before them and keep text typed inside, not at their edges", () => {
    let state = withAnchor();
    state = state.update({ changes: { from: 0, insert: "Note: " } }).state;
    expect(anchored(state)).toEqual({ text: "entries", isOutdated: false });
    const place = commentAnchorsOf(state).get("t1")!;
    state = state.update({
      changes: [
        { from: place.from, insert: "[" },
        { from: place.to, insert: "]" },
      ],
    }).state;
    expect(anchored(state).text).toBe("entries");
    state = state.update({ changes: { from: commentAnchorsOf(state).get("t1")!.from + 3, insert: "X" } }).state;
    expect(anchored(state).text).toBe("entXries");
  });

  it("become outdated once all of their text is deleted, and stay so", () => {
    let state = withAnchor().update({ changes: { from: FROM - 1, to: TO + 1 } }).state;
    expect(anchored(state)).toEqual({ text: "", isOutdated: true });
    state = state.update({ changes: { from: FROM - 1, insert: "again " } }).state;
    expect(anchored(state).isOutdated).toBe(true);
  });

  it("keep the span of a comment being written on its text, and drop it when that text goes", () => {
    let state = withAnchor().update({ effects: setCommentDraft.of({ from: 0, to: 3 }) }).state;
    state = state.update({ changes: { from: 0, insert: ">> " } }).state;
    const draft = commentDraftOf(state)!;
    expect(state.sliceDoc(draft.from, draft.to)).toBe("The");
    state = state.update({ changes: { from: draft.from, to: draft.to } }).state;
    expect(commentDraftOf(state)).toBeNull();
  });
});
