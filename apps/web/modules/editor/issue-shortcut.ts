import type { Extension } from "@codemirror/state";
import { EditorView, keymap } from "@codemirror/view";

/** Files an issue from the selection; the toolbar names it in its tooltip. */
export const CREATE_ISSUE_KEY = "Mod-Alt-k";

export interface IssueShortcutTarget {
  /** Opens the "Create issue" dialog for the view's selection; false when it cannot (no selection, no right to). */
  openFromSelection(view: EditorView): boolean;
  /** Told whenever the selection becomes empty or not, so the toolbar can offer the action. */
  onSelectionChange(view: EditorView, hasSelection: boolean): void;
}

/**
 * Mod-Alt-K files an issue from the selected passage (not Mod-Shift-I, which opens the browser's
 * developer tools), and the toolbar learns when there is a selection to file from. `target` is read on each event: the editor is built once, while the
 * component's handlers change on every render.
 */
export function issueShortcut(target: () => IssueShortcutTarget): Extension {
  return [
    // preventDefault even when there is nothing to file: the key is this editor's, not the browser's.
    keymap.of([{ key: CREATE_ISSUE_KEY, run: (view) => target().openFromSelection(view), preventDefault: true }]),
    EditorView.updateListener.of((update) => {
      if (!update.selectionSet && !update.docChanged) return;
      target().onSelectionChange(update.view, !update.state.selection.main.empty);
    }),
  ];
}
