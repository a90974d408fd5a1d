"use client";

import { EditorView } from "@codemirror/view";
import type { TextChange } from "./apply-proposal";

/**
 * The live editor open in this tab, found through the DOM (the editor marks its text
 * `data-testid="document-content"`), so the assistant needs no hooks inside the editor: its
 * changes go through the editor like typing, and so through the collab session to everyone.
 */
export function findOpenEditor(documentId: string | undefined): EditorView | null {
  if (!documentId || typeof document === "undefined") return null;
  // The document page holds one editor, for its own document: the one the panel was opened on.
  const content = document.querySelector<HTMLElement>(".cm-editor [data-testid='document-content']");
  return content ? EditorView.findFromDOM(content) : null;
}

/** The editor's selection, with its text so the server can find it again at the head version. */
export function selectionOf(view: EditorView): { from: number; to: number; text: string } {
  const { from, to } = view.state.selection.main;
  return { from, to, text: view.state.sliceDoc(from, to) };
}

/** Applies the changes as one edit in the editor (one undo step), unless it is read-only. */
export function applyInEditor(view: EditorView, changes: readonly TextChange[]): boolean {
  if (view.state.readOnly) return false;
  view.dispatch({ changes: [...changes], userEvent: "input.assistant", scrollIntoView: true });
  return true;
}
