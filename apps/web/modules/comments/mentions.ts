/** Someone the composer can mention. */
export interface MentionCandidate {
  id: string;
  name: string;
  email: string;
}

/** The `@word` being typed just before the caret: where it starts and what follows the `@`. */
export function mentionQueryAt(text: string, caret: number): { start: number; query: string } | null {
  const before = text.slice(0, caret);
  const match = /(^|\s)@([^\s@]{0,40})$/u.exec(before);
  if (!match) return null;
  return { start: caret - match[2]!.length - 1, query: match[2]! };
}

/** Candidates whose name or email starts a word with `query`, best first, at most `limit`. */
export function matchMentions(candidates: readonly MentionCandidate[], query: string, limit = 6): MentionCandidate[] {
  const q = query.toLowerCase();
  const score = (c: MentionCandidate) => {
    const name = c.name.toLowerCase();
    if (name.startsWith(q)) return 0;
    if (name.split(/\s+/).some((word) => word.startsWith(q))) return 1;
    if (c.email.toLowerCase().startsWith(q)) return 2;
    return -1;
  };
  return candidates
    .map((c) => ({ c, s: score(c) }))
    .filter(({ s }) => s >= 0)
    .sort((a, b) => a.s - b.s || a.c.name.localeCompare(b.c.name))
    .slice(0, limit)
    .map(({ c }) => c);
}

/** Replaces the `@query` at `start` with `@Name ` and returns the new text and caret. */
export function insertMention(
  text: string,
  start: number,
  caret: number,
  name: string,
): { text: string; caret: number } {
  const inserted = /^\s/u.test(text.slice(caret)) ? `@${name}` : `@${name} `;
  return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
}

/** The picked people whose `@Name` is still in the text: deleting the name drops the mention. */
export function mentionedIds(body: string, picked: readonly { id: string; name: string }[]): string[] {
  return [...new Set(picked.filter((p) => body.includes(`@${p.name}`)).map((p) => p.id))];
}

/** The body cut into plain text and `@Name` mentions of the given people, for display. */
export function splitMentions(body: string, names: readonly string[]): { text: string; isMention: boolean }[] {
  const wanted = [...new Set(names)].filter((n) => n.length > 0).sort((a, b) => b.length - a.length);
  if (wanted.length === 0) return [{ text: body, isMention: false }];
  const escaped = wanted.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const parts: { text: string; isMention: boolean }[] = [];
  let last = 0;
  for (const match of body.matchAll(new RegExp(`@(?:${escaped.join("|")})`, "gu"))) {
    if (match.index > last) parts.push({ text: body.slice(last, match.index), isMention: false });
    parts.push({ text: match[0], isMention: true });
    last = match.index + match[0].length;
  }
  if (last < body.length) parts.push({ text: body.slice(last), isMention: false });
  return parts;
}
