import { StateEffect, StateField, type ChangeDesc, type EditorState, type Range } from "@codemirror/state";
import { Decoration, EditorView, type DecorationSet } from "@codemirror/view";

/** A thread's place on this editor's text. */
export interface CommentAnchorPlace {
  from: number;
  to: number;
  /** No highlight: resolved threads stay out of the way. */
  isResolved: boolean;
  /** All of its text was deleted (here or as the server reported it). */
  isOutdated: boolean;
}

/** Puts threads at these places (server anchors already moved onto this editor's text). */
export const placeCommentAnchors = StateEffect.define<ReadonlyMap<string, CommentAnchorPlace>>();
/** Forgets these threads. */
export const removeCommentAnchors = StateEffect.define<readonly string[]>();
/** Changes only the status part of threads already placed. */
export const setCommentAnchorStatus = StateEffect.define<ReadonlyMap<string, Pick<CommentAnchorPlace, "isResolved">>>();
/** The thread shown as selected in the panel, or null. */
export const setActiveCommentThread = StateEffect.define<string | null>();
/** The span a comment is being written about, or null when no comment is being written. */
export const setCommentDraft = StateEffect.define<{ from: number; to: number } | null>();

interface AnchorsState {
  places: ReadonlyMap<string, CommentAnchorPlace>;
  active: string | null;
  draft: { from: number; to: number } | null;
}

/**
 * Moves a span over a local or remote change as the server moves anchors (`transformRange`): it
 * keeps text typed inside it, not text typed at its edges, and is outdated once its text is gone.
 */
function mapSpan<T extends { from: number; to: number; isOutdated?: boolean }>(span: T, changes: ChangeDesc): T {
  if (span.from === span.to || span.isOutdated) {
    const at = changes.mapPos(span.from, -1);
    return { ...span, from: at, to: at };
  }
  const from = changes.mapPos(span.from, 1);
  const to = changes.mapPos(span.to, -1);
  if (from >= to) return { ...span, from: Math.min(from, to), to: Math.min(from, to), isOutdated: true };
  return { ...span, from, to };
}

const anchorsField = StateField.define<AnchorsState>({
  create: () => ({ places: new Map(), active: null, draft: null }),
  update(value, tr) {
    let { places, active, draft } = value;
    if (tr.docChanged) {
      const moved = new Map<string, CommentAnchorPlace>();
      for (const [id, place] of places) moved.set(id, mapSpan(place, tr.changes));
      places = moved;
      if (draft) {
        const mapped = mapSpan({ ...draft, isOutdated: false }, tr.changes);
        draft = mapped.isOutdated ? null : { from: mapped.from, to: mapped.to };
      }
    }
    for (const effect of tr.effects) {
      if (effect.is(placeCommentAnchors)) {
        const next = new Map(places);
        const length = tr.state.doc.length;
        for (const [id, place] of effect.value) {
          next.set(id, { ...place, from: Math.min(place.from, length), to: Math.min(place.to, length) });
        }
        places = next;
      } else if (effect.is(removeCommentAnchors)) {
        const next = new Map(places);
        for (const id of effect.value) next.delete(id);
        places = next;
      } else if (effect.is(setCommentAnchorStatus)) {
        const next = new Map(places);
        for (const [id, status] of effect.value) {
          const place = next.get(id);
          if (place) next.set(id, { ...place, ...status });
        }
        places = next;
      } else if (effect.is(setActiveCommentThread)) {
        active = effect.value;
      } else if (effect.is(setCommentDraft)) {
        draft = effect.value;
      }
    }
    return places === value.places && active === value.active && draft === value.draft
      ? value
      : { places, active, draft };
  },
  provide: (field) => EditorView.decorations.from(field, decorationsOf),
});

function decorationsOf({ places, active, draft }: AnchorsState): DecorationSet {
  const ranges: Range<Decoration>[] = [];
  for (const [id, place] of places) {
    if (place.isResolved || place.isOutdated || place.from >= place.to) continue;
    ranges.push(
      Decoration.mark({
        class: `cm-comment-anchor${id === active ? " cm-comment-anchor--active" : ""}`,
        attributes: { "data-testid": "comment-anchor", "data-thread-id": id },
      }).range(place.from, place.to),
    );
  }
  if (draft && draft.from < draft.to) {
    ranges.push(
      Decoration.mark({ class: "cm-comment-draft", attributes: { "data-testid": "comment-draft-anchor" } }).range(
        draft.from,
        draft.to,
      ),
    );
  }
  return Decoration.set(ranges, true);
}

/** Where each thread is on the editor's text now, after every change since it was placed. */
export function commentAnchorsOf(state: EditorState): ReadonlyMap<string, CommentAnchorPlace> {
  return state.field(anchorsField, false)?.places ?? new Map();
}

/** The span the comment being written is about, moved over every change since it was chosen. */
export function commentDraftOf(state: EditorState): { from: number; to: number } | null {
  return state.field(anchorsField, false)?.draft ?? null;
}

const anchorsTheme = EditorView.baseTheme({
  ".cm-comment-anchor": {
    backgroundColor: "rgba(250, 204, 21, 0.28)",
    borderBottom: "2px solid rgba(202, 138, 4, 0.7)",
  },
  ".cm-comment-anchor--active": { backgroundColor: "rgba(250, 204, 21, 0.55)" },
  ".cm-comment-draft": { backgroundColor: "rgba(37, 99, 235, 0.18)" },
});

/**
 * Comment threads' anchors as highlights that move with every local and remote edit, the span of
 * the comment being written, and a click on a highlight reported as that thread.
 */
export function commentAnchors(onClickThread: (threadId: string) => void) {
  return [
    anchorsField,
    anchorsTheme,
    EditorView.domEventHandlers({
      click(event) {
        const target = event.target instanceof Element ? event.target.closest("[data-thread-id]") : null;
        const threadId = target?.getAttribute("data-thread-id");
        if (threadId) onClickThread(threadId);
        return false;
      },
    }),
  ];
}
