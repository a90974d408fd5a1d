import { findMentionTokens, mentionsAsText, NOTIFICATION_BODY_MAX } from "@devflow/contracts";
import { excerptOf } from "./notification-delivery";

/** A stretch of a document's text read around a mention, and whether the text goes on either side. */
export interface MentionWindow {
  text: string;
  isCutBefore: boolean;
  isCutAfter: boolean;
}

/** How much of the text before the mention an excerpt keeps; the rest of the room goes to what follows. */
const LEAD = 100;

/**
 * The excerpt a document mention's notification quotes: the words around `userId`'s first mention
 * token in the window, every token read as `@Name`, on one line, at most `max` characters, with "…"
 * where it was cut. Empty when the window holds no token for them (it was deleted meanwhile).
 */
export function mentionExcerpt(window: MentionWindow, userId: string, max = NOTIFICATION_BODY_MAX): string {
  const target = findMentionTokens(window.text).find((token) => token.userId === userId);
  if (!target) return "";
  const head = flat(mentionsAsText(dropCutStart(window.text.slice(0, target.index), window.isCutBefore)));
  const tail = mentionsAsText(dropCutEnd(window.text.slice(target.index + target.length), window.isCutAfter));
  const lead = head.length > LEAD || (window.isCutBefore && head !== "") ? `…${lastWords(head, LEAD)}` : head;
  return excerptOf(`${lead}@${target.name}${tail}`, max);
}

/** The end of `text`, at most `max` characters, starting at a word. */
function lastWords(text: string, max: number): string {
  if (text.length <= max) return text;
  const space = text.indexOf(" ", text.length - max);
  return space === -1 ? text.slice(text.length - max) : text.slice(space + 1);
}

// The window's edges may fall inside a word or a token: what is left of either is dropped.
function dropCutStart(text: string, isCut: boolean): string {
  if (!isCut || findMentionTokens(text)[0]?.index === 0) return text;
  const cutToken = /^[^[]*?\]\(mention:[0-9a-fA-F-]*\)/.exec(text);
  const rest = cutToken ? text.slice(cutToken[0].length) : text.replace(/^\S*/, "");
  return rest.trimStart();
}

function dropCutEnd(text: string, isCut: boolean): string {
  if (!isCut) return text;
  const cutToken = /@\[[^\]\r\n]*(?:\]\S*)?$/.exec(text);
  if (cutToken) return findMentionTokens(cutToken[0]).length === 0 ? text.slice(0, cutToken.index).trimEnd() : text;
  return text.replace(/\S*$/, "").trimEnd();
}

function flat(text: string): string {
  return text.replace(/\s+/g, " ").trimStart();
}
