/**
 * An @mention inside a document's markdown: `@[Ada Lovelace](mention:<userId>)`. It is a markdown
 * link on purpose, so any renderer shows the name (the preview draws it as a chip) and the text
 * stays readable where nothing knows the format. The editor inserts the whole token in one edit;
 * the collab service finds tokens in what an op inserted and the notifications quote them as
 * `@Name`. One definition here, because browser and server must agree on it byte for byte.
 */

/** The most people one edit can notify: a paste of a long roster tells the first 50, not the whole company. */
export const DOCUMENT_MENTIONS_MAX = 50;
/** The longest display name a token carries; longer names are cut when the token is written. */
export const MENTION_NAME_MAX = 100;
/** What a mention link's target starts with. */
export const MENTION_URL_PREFIX = "mention:";

const UUID = "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
// A fresh RegExp per call: a shared /g regex keeps `lastIndex` between callers.
const tokenPattern = () => new RegExp(`@\\[([^\\[\\]\\r\\n]{1,${MENTION_NAME_MAX}})\\]\\(mention:(${UUID})\\)`, "g");
const mentionUrlPattern = new RegExp(`^mention:(${UUID})$`);

/** One mention token found in a text. */
export interface MentionToken {
  /** The display name as written in the token (what the reader sees). */
  name: string;
  /** The mentioned user, lower-cased. */
  userId: string;
  /** Where the token starts in the text (UTF-16 code units). */
  index: number;
  /** The token's length, `@[` to `)`. */
  length: number;
}

/**
 * The token for `userId`, shown as `name`. Brackets and line breaks would end the link early, so
 * they become spaces; an empty name becomes "someone".
 */
export function mentionToken(name: string, userId: string): string {
  const label =
    name
      .replace(/[[\]\r\n]+/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .slice(0, MENTION_NAME_MAX)
      .trim() || "someone";
  return `@[${label}](${MENTION_URL_PREFIX}${userId})`;
}

/** Every well-formed token in `text`, in order. */
export function findMentionTokens(text: string): MentionToken[] {
  // Cheap test first: most texts (and nearly every op) hold no mention at all.
  if (!text.includes(`](${MENTION_URL_PREFIX}`)) return [];
  return [...text.matchAll(tokenPattern())].map((match) => ({
    name: match[1]!,
    userId: match[2]!.toLowerCase(),
    index: match.index,
    length: match[0].length,
  }));
}

/** The distinct users mentioned across `texts`, in order of first appearance, at most `max`. */
export function mentionedUserIds(texts: string | readonly string[], max = DOCUMENT_MENTIONS_MAX): string[] {
  const ids = new Set<string>();
  for (const text of typeof texts === "string" ? [texts] : texts) {
    for (const token of findMentionTokens(text)) {
      if (ids.size >= max) return [...ids];
      ids.add(token.userId);
    }
  }
  return [...ids];
}

/** `text` with every token written as `@Name`, as a quote in a notification or an email reads. */
export function mentionsAsText(text: string): string {
  if (!text.includes(`](${MENTION_URL_PREFIX}`)) return text;
  return text.replace(tokenPattern(), (_token, name: string) => `@${name}`);
}

/** The user a link target names when it is a mention (`mention:<uuid>`), else null. */
export function mentionUserIdOf(href: string | null | undefined): string | null {
  const match = href ? mentionUrlPattern.exec(href) : null;
  return match ? match[1]!.toLowerCase() : null;
}
