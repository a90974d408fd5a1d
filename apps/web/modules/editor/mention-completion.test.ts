import { CompletionContext, type Completion } from "@codemirror/autocomplete";
import { EditorState, type TransactionSpec } from "@codemirror/state";
import type { EditorView } from "@codemirror/view";
import { findMentionTokens } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { mentionCompletionSource, mentionQueryBefore } from "./mention-completion";

const ADA = { id: "4f9a8b7c-0000-4000-8000-000000000001", name: "Ada Lovelace", email: "ada@example.test" };
const GRACE = { id: "4f9a8b7c-0000-4000-8000-000000000002", name: "Grace Hopper", email: "grace@example.test" };
const source = mentionCompletionSource(() => [ADA, GRACE]);

/** The text with the caret at `|`, as a completion context. */
function contextAt(textWithCaret: string): CompletionContext {
  const caret = textWithCaret.indexOf("|");
  const state = EditorState.create({ doc: textWithCaret.replace("|", ""), selection: { anchor: caret } });
  return new CompletionContext(state, caret, false);
}

/** Picks `option` as CodeMirror would, on a stand-in view, and returns the text and caret after. */
function pick(context: CompletionContext, option: Completion, from: number): { text: string; caret: number } {
  let state = context.state;
  const dispatched: TransactionSpec[] = [];
  const view = {
    get state() {
      return state;
    },
    dispatch(spec: TransactionSpec) {
      dispatched.push(spec);
      state = state.update(spec).state;
    },
  } as unknown as EditorView;
  (option.apply as (view: EditorView, c: Completion, from: number, to: number) => void)(
    view,
    option,
    from,
    context.pos,
  );
  expect(dispatched).toHaveLength(1);
  return { text: state.doc.toString(), caret: state.selection.main.head };
}

describe("mentionQueryBefore", () => {
  it.each([
    ["@|", { from: 0, query: "" }],
    ["Ask @gr|", { from: 4, query: "gr" }],
    ["(@ada|", { from: 1, query: "ada" }],
  ])("reads %s as a mention being typed", (text, expected) => {
    expect(mentionQueryBefore(contextAt(text))).toEqual(expected);
  });

  it.each([["mail me at ada@ex|"], ["no at sign|"], ["@ada lovelace|"]])("does not read %s as one", (text) => {
    expect(mentionQueryBefore(contextAt(text))).toBeNull();
  });
});

describe("mentionCompletionSource", () => {
  it("offers the matching members from the @, best first, with their email", () => {
    const result = source(contextAt("Ask @|"));
    expect(result?.from).toBe(4);
    expect(result?.options.map((o) => [o.label, o.detail])).toEqual([
      ["@Ada Lovelace", "ada@example.test"],
      ["@Grace Hopper", "grace@example.test"],
    ]);
    expect(source(contextAt("Ask @hop|"))?.options.map((o) => o.label)).toEqual(["@Grace Hopper"]);
    expect(source(contextAt("Ask @zed|"))).toBeNull();
  });

  it("narrows the list as more is typed without asking again, so Enter always picks what is shown", () => {
    const result = source(contextAt("Ask @|"))!;
    const next = contextAt("Ask @hop|");
    expect(result.update!(result, result.from, next.pos, next)?.options.map((o) => o.label)).toEqual(["@Grace Hopper"]);
    const gone = contextAt("Ask @hop |");
    expect(result.update!(result, result.from, gone.pos, gone)).toBeNull();
  });

  it("replaces the typed @query with the whole token in one edit, then a space unless one or a stop follows", () => {
    const context = contextAt("Ask @gra| about it");
    const result = source(context)!;
    const after = pick(context, result.options[0]!, result.from);
    const token = `@[Grace Hopper](mention:${GRACE.id})`;
    expect(after.text).toBe(`Ask ${token} about it`);
    expect(after.caret).toBe(4 + token.length);
    expect(findMentionTokens(after.text).map((t) => t.userId)).toEqual([GRACE.id]);

    const beforeStop = contextAt("cc @a|.");
    expect(pick(beforeStop, source(beforeStop)!.options[0]!, 3).text).toBe(`cc @[Ada Lovelace](mention:${ADA.id}).`);
    const atEnd = contextAt("cc @a|");
    expect(pick(atEnd, source(atEnd)!.options[0]!, 3).text).toBe(`cc @[Ada Lovelace](mention:${ADA.id}) `);
  });
});
