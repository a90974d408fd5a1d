import type { ProposedEditDto } from "@devflow/contracts";

/** A replacement in the text as the editor holds it now. */
export interface TextChange {
  from: number;
  to: number;
  insert: string;
}

export type ProposalPlan = { ok: true; changes: TextChange[] } | { ok: false; reason: string };

/**
 * Converts a proposal (offsets into the text at its base version) to changes of the editor's
 * current text. Each replaced passage is found where it was (checked against its text and the
 * text just before it), or else at the nearest place it still reads the same; an insertion is
 * found by the text just before it. When a passage was edited since, or two edits would now
 * overlap, nothing is planned: applying part of a proposal, or at a guessed place, would be worse.
 */
export function planProposal(currentText: string, proposal: Pick<ProposedEditDto, "edits">): ProposalPlan {
  const changes: TextChange[] = [];
  for (const edit of proposal.edits) {
    if (edit.before === undefined) {
      return { ok: false, reason: "This proposal does not say which text it replaces, so it cannot be checked." };
    }
    const from = locate(currentText, edit.start, edit.before, edit.prefix ?? "");
    if (from === null) {
      const what = edit.before ? `“${excerpt(edit.before)}”` : "the place it inserts at";
      return { ok: false, reason: `The document changed: ${what} is no longer there.` };
    }
    changes.push({ from, to: from + edit.before.length, insert: edit.text });
  }
  changes.sort((a, b) => a.from - b.from);
  for (let i = 1; i < changes.length; i++) {
    if (changes[i]!.from < changes[i - 1]!.to) {
      return { ok: false, reason: "The document changed: the proposed edits now overlap." };
    }
  }
  return { ok: true, changes };
}

function locate(text: string, start: number, before: string, prefix: string): number | null {
  const readsSame = (at: number) =>
    text.slice(at, at + before.length) === before && text.slice(Math.max(0, at - prefix.length), at) === prefix;
  if (start <= text.length && readsSame(start)) return start;
  const anchor = prefix + before;
  if (anchor !== "") {
    const found = nearestOccurrence(text, anchor, start - prefix.length);
    if (found !== null) return found + prefix.length;
  }
  // The text before it changed, but the replaced passage itself is still there.
  return before === "" ? null : nearestOccurrence(text, before, start);
}

function nearestOccurrence(text: string, needle: string, near: number): number | null {
  let best: number | null = null;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
    if (best === null || Math.abs(at - near) < Math.abs(best - near)) best = at;
    if (at > near) break;
  }
  return best;
}

function excerpt(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length <= 40 ? line : `${line.slice(0, 39)}…`;
}
