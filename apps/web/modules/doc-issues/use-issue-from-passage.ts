"use client";

import type { EditorView } from "@codemirror/view";
import { useRef, useState } from "react";
import type { IssueShortcutTarget } from "../editor/issue-shortcut";

export interface IssueFromPassage {
  /** People who may edit the document may file issues from it; viewers may not. */
  canFile: boolean;
  /** There is a non-empty selection to file from. */
  hasSelection: boolean;
  /** The passage the open dialog files from; null while it is closed. */
  passage: string | null;
  /** Opens the dialog for the editor's selection; false when there is none or filing is not allowed. */
  open: () => boolean;
  close: () => void;
  isListShown: boolean;
  toggleList: () => void;
  /** For `issueShortcut`: Mod-Alt-K and selection changes in the editor. */
  shortcutTarget: IssueShortcutTarget;
}

/**
 * State of "Create issue" for the editor: whether there is a selection to file from, the passage
 * the dialog is filing, and whether the document's list of issues is shown.
 */
export function useIssueFromPassage(canFile: boolean): IssueFromPassage {
  const [hasSelection, setHasSelection] = useState(false);
  const [passage, setPassage] = useState<string | null>(null);
  const [isListShown, setIsListShown] = useState(false);
  // The editor that last reported its selection: the toolbar button files from it.
  const viewRef = useRef<EditorView | null>(null);

  const openFromSelection = (view: EditorView | null): boolean => {
    if (!view || !canFile) return false;
    const { from, to } = view.state.selection.main;
    if (from === to) return false;
    setPassage(view.state.sliceDoc(from, to));
    return true;
  };

  return {
    canFile,
    hasSelection: canFile && hasSelection,
    passage,
    open: () => openFromSelection(viewRef.current),
    close: () => setPassage(null),
    isListShown,
    toggleList: () => setIsListShown((shown) => !shown),
    shortcutTarget: {
      openFromSelection,
      onSelectionChange(view, isSelected) {
        viewRef.current = view;
        setHasSelection(isSelected);
      },
    },
  };
}
