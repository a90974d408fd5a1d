import { transformCursor, transformSelection, type OtClient, type Selection, type TextOp } from "@devflow/collab-ot";
import type { PresenceUpdate, PresenceUserDto } from "@devflow/contracts";

/** Someone else in the document, with their selection on this editor's text. */
export interface RemotePresence {
  sessionId: string;
  user: PresenceUserDto;
  /** `#rrggbb`, the same for everyone looking at the document. */
  colour: string;
  /** Null while they have no focus in the editor, or while their position is not known yet. */
  selection: Selection | null;
}

interface PresenceState extends RemotePresence {
  /** Reported at a version this client has not reached yet; placed once it does. */
  waiting: { selection: Selection; version: number } | null;
}

/**
 * Everyone else's caret and selection, kept on this editor's text: placed from the server version
 * they were reported at, and moved over every op applied since, local or remote. Calls `onChange`
 * with the new list after each change.
 */
export class RemotePresences {
  private readonly others = new Map<string, PresenceState>();

  constructor(private readonly onChange: () => void) {}

  get list(): readonly RemotePresence[] {
    return [...this.others.values()].map(({ sessionId, user, colour, selection }) => ({
      sessionId,
      user,
      colour,
      selection,
    }));
  }

  /** A presence update from the server; `ot` places it on this editor's text. */
  update(update: PresenceUpdate, ot: OtClient | null): void {
    const state: PresenceState = {
      sessionId: update.sessionId,
      user: update.user,
      colour: update.colour,
      selection: null,
      waiting: null,
    };
    place(state, update, ot);
    this.others.set(update.sessionId, state);
    this.onChange();
  }

  remove(sessionId: string): void {
    if (this.others.delete(sessionId)) this.onChange();
  }

  /** After a drop or a new snapshot: positions are no longer known. */
  clear(): void {
    if (this.others.size === 0) return;
    this.others.clear();
    this.onChange();
  }

  /** Moves everyone over an edit made in this editor. */
  applyLocal(op: TextOp): void {
    if (this.others.size === 0) return;
    for (const state of this.others.values()) {
      if (state.selection) state.selection = transformSelection(state.selection, op);
    }
    this.onChange();
  }

  /** Moves everyone over `userId`'s op, already transformed for this editor's text. */
  applyRemote(op: TextOp, userId: string): void {
    if (this.others.size === 0) return;
    for (const state of this.others.values()) {
      if (state.selection === null) continue;
      // The author's caret sits after what they typed; everyone else's stays before it.
      state.selection =
        state.user.id === userId && state.selection.anchor === state.selection.head
          ? caret(transformCursor(state.selection.head, op, "right"))
          : transformSelection(state.selection, op);
    }
    this.onChange();
  }

  /** Places the presences reported at versions this editor has now reached. */
  placeWaiting(ot: OtClient | null): void {
    if (ot === null) return;
    let changed = false;
    for (const state of this.others.values()) {
      if (state.waiting && state.waiting.version <= ot.version) {
        place(state, state.waiting, ot);
        changed = true;
      }
    }
    if (changed) this.onChange();
  }
}

function place(state: PresenceState, update: Pick<PresenceUpdate, "selection" | "version">, ot: OtClient | null): void {
  if (update.selection === null) {
    state.selection = null;
    state.waiting = null;
    return;
  }
  const placed = ot?.localizeSelection(update.selection, update.version) ?? null;
  state.selection = placed;
  state.waiting =
    placed === null && ot !== null && update.version > ot.version
      ? { selection: update.selection, version: update.version }
      : null;
}

function caret(at: number): Selection {
  return { anchor: at, head: at };
}
