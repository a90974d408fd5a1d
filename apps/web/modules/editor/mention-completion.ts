import {
  autocompletion,
  insertCompletionText,
  pickedCompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from "@codemirror/autocomplete";
import type { Extension } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { mentionToken } from "@devflow/contracts";
import { useListMembersInfiniteQuery } from "@devflow/web-data-access";
import { useMemo, useRef } from "react";
import { matchMentions, type MentionCandidate } from "../comments/mentions";

/** How many people the list offers at once. */
const OPTIONS_MAX = 8;

/**
 * The `@` being typed just before the caret, when it starts a word (not the middle of an email
 * address), with what follows it so far.
 */
export function mentionQueryBefore(context: CompletionContext): { from: number; query: string } | null {
  const typed = context.matchBefore(/@[^\s@[\]()]{0,40}$/u);
  if (!typed) return null;
  const before = context.state.sliceDoc(typed.from - 1, typed.from);
  if (before !== "" && !/[\s([{"'*_~>]/u.test(before)) return null;
  return { from: typed.from, query: typed.text.slice(1) };
}

/**
 * The completion source for @mentions: members whose name or email starts a word with what was
 * typed (as in the comments composer), each inserting the whole token `@[Name](mention:<id>)` in one
 * edit — the collab service reads mentions only from what one op inserts, so the token must never
 * arrive a character at a time.
 */
export function mentionCompletionSource(candidates: () => readonly MentionCandidate[]) {
  const source = (context: CompletionContext): CompletionResult | null => {
    const typed = mentionQueryBefore(context);
    if (!typed) return null;
    const options = matchMentions(candidates(), typed.query, OPTIONS_MAX).map((candidate): Completion => ({
      label: `@${candidate.name}`,
      detail: candidate.email,
      type: "mention",
      apply: (view, completion, from, to) => insertMention(view, completion, from, to, candidate),
    }));
    if (options.length === 0) return null;
    // Our own ranking and matching (CodeMirror's fuzzy filter would match "@" against every name),
    // redone synchronously as each character is typed: a list waiting on a fresh query ignores
    // Enter, which would then start a new line instead of picking the person already shown.
    return { from: typed.from, options, filter: false, update: (_result, _from, _to, next) => source(next) };
  };
  return source;
}

function insertMention(
  view: EditorView,
  completion: Completion,
  from: number,
  to: number,
  candidate: MentionCandidate,
): void {
  // A space to go on typing after, unless one (or punctuation) already follows.
  const next = view.state.sliceDoc(to, to + 1);
  const text = mentionToken(candidate.name, candidate.id) + (/^[\s.,;:!?)\]}'"]/u.test(next) ? "" : " ");
  view.dispatch({
    ...insertCompletionText(view.state, text, from, to),
    annotations: pickedCompletion.of(completion),
  });
}

/**
 * Autocompletion of @mentions in the editor: arrows move through the list, Enter picks, Escape
 * closes it. Other completions are not offered.
 */
export function mentionCompletion(candidates: () => readonly MentionCandidate[]): Extension {
  return autocompletion({
    override: [mentionCompletionSource(candidates)],
    icons: false,
    optionClass: () => "mention-option",
  });
}

/**
 * The organization's members as mention candidates, from the same list the comments composer
 * offers, in a ref: the editor's extensions are built once and read it when the list opens.
 * The server tells only those who can read the document; others are offered and dropped there.
 */
export function useMentionCandidates(organizationId: string): { readonly current: readonly MentionCandidate[] } {
  const members = useListMembersInfiniteQuery({ organizationId, limit: 100 });
  const candidates = useMemo<MentionCandidate[]>(
    () =>
      (members.data?.pages ?? [])
        .flatMap((page) => page.items)
        .map((m) => ({ id: m.user.id, name: m.user.name, email: m.user.email })),
    [members.data],
  );
  const ref = useRef<readonly MentionCandidate[]>(candidates);
  ref.current = candidates;
  return ref;
}
