import { mentionUserIdOf } from "@devflow/contracts";
import { defaultUrlTransform } from "react-markdown";

/** The little of a markdown syntax tree (mdast) the mention plugin reads. */
interface MarkdownNode {
  type: string;
  value?: string;
  url?: string;
  children?: MarkdownNode[];
}

/**
 * Keeps `mention:<userId>` link targets, which react-markdown's default transform would empty as
 * an unknown scheme (leaving a broken link); every other URL goes through the default, so unsafe
 * schemes are still stripped.
 */
export function mentionUrlTransform(url: string): string {
  return mentionUserIdOf(url) ? url : defaultUrlTransform(url);
}

/**
 * A remark plugin for `@[Name](mention:<id>)` tokens: markdown reads them as the text "@" followed
 * by a link, so the "@" is taken off the text and the renderer draws the link as one "@Name" chip.
 */
export function remarkMentions() {
  return (tree: MarkdownNode): void => {
    takeAtSigns(tree);
  };
}

function takeAtSigns(node: MarkdownNode): void {
  const children = node.children ?? [];
  children.forEach((child, i) => {
    const before = children[i - 1];
    if (child.type === "link" && mentionUserIdOf(child.url) && before?.type === "text" && before.value?.endsWith("@")) {
      before.value = before.value.slice(0, -1);
    }
    takeAtSigns(child);
  });
}
