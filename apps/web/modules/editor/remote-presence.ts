import type { RemotePresence } from "@devflow/web-data-access";
import { StateEffect, StateField, type Range } from "@codemirror/state";
import { Decoration, EditorView, WidgetType, type DecorationSet } from "@codemirror/view";
import { presenceLabel } from "./presence-label";

/** Replaces the remote carets and selections shown in the editor. */
export const setRemotePresence = StateEffect.define<readonly RemotePresence[]>();

class RemoteCaretWidget extends WidgetType {
  constructor(
    readonly name: string,
    readonly colour: string,
  ) {
    super();
  }

  override eq(other: RemoteCaretWidget): boolean {
    return other.name === this.name && other.colour === this.colour;
  }

  toDOM(): HTMLElement {
    const caret = document.createElement("span");
    caret.className = "cm-remote-caret";
    caret.style.borderLeftColor = this.colour;
    caret.dataset.testid = "remote-cursor";
    caret.dataset.userName = this.name;
    caret.setAttribute("aria-label", `${this.name}'s cursor`);
    const label = document.createElement("span");
    label.className = "cm-remote-caret__label";
    label.style.backgroundColor = this.colour;
    label.textContent = this.name;
    caret.append(label);
    return caret;
  }

  override ignoreEvent(): boolean {
    return true;
  }
}

function decorationsFor(presence: readonly RemotePresence[], length: number): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const { user, colour, selection } of presence) {
    if (!selection) continue;
    const anchor = Math.min(selection.anchor, length);
    const head = Math.min(selection.head, length);
    const from = Math.min(anchor, head);
    const to = Math.max(anchor, head);
    if (from < to) {
      ranges.push(
        Decoration.mark({
          class: "cm-remote-selection",
          attributes: { style: `background-color: ${colour}33`, title: presenceLabel(user) },
        }).range(from, to),
      );
    }
    ranges.push(Decoration.widget({ widget: new RemoteCaretWidget(presenceLabel(user), colour), side: 1 }).range(head));
  }
  return Decoration.set(ranges, true);
}

const remotePresenceField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (effect.is(setRemotePresence)) next = decorationsFor(effect.value, tr.state.doc.length);
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

const remotePresenceTheme = EditorView.baseTheme({
  ".cm-remote-caret": {
    position: "relative",
    borderLeft: "2px solid",
    marginLeft: "-1px",
    marginRight: "-1px",
    pointerEvents: "none",
  },
  ".cm-remote-caret__label": {
    position: "absolute",
    top: "-1.35em",
    left: "-2px",
    padding: "0 4px",
    borderRadius: "3px 3px 3px 0",
    color: "#fff",
    fontFamily: "var(--font-sans, sans-serif)",
    fontSize: "11px",
    lineHeight: "1.35em",
    whiteSpace: "nowrap",
    opacity: "0.9",
    zIndex: "10",
  },
});

/** Other people's carets (with their name) and selections, in their colour. */
export const remotePresence = [remotePresenceField, remotePresenceTheme];
