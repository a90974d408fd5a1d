"use client";

import { mentionUserIdOf } from "@devflow/contracts";
import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";
import { mentionUrlTransform, remarkMentions } from "./mention-markdown";

// Raw HTML in the markdown is never rendered (react-markdown drops it without rehype-raw) and
// unsafe link schemes are stripped by the URL transform; links open away from the editor. An
// @mention (`@[Name](mention:<id>)`) is a chip, not a link: there is nowhere for it to go.
const components: Components = {
  a: ({ node: _node, href, children, ...props }) => {
    const userId = mentionUserIdOf(href);
    if (userId) {
      return (
        <span className="mention-chip" data-testid="mention" data-user-id={userId}>
          @{children}
        </span>
      );
    }
    return (
      <a {...props} href={href} target="_blank" rel="noopener noreferrer nofollow">
        {children}
      </a>
    );
  },
  img: ({ node: _node, alt, ...props }) => (
    <img {...props} alt={alt ?? ""} referrerPolicy="no-referrer" loading="lazy" />
  ),
};

const remarkPlugins = [remarkGfm, remarkMentions];

/** The document rendered as markdown, safe for text anyone in the organization wrote. */
export const MarkdownPreview = memo(function MarkdownPreview({ text }: { text: string }) {
  return (
    <div className="collab-preview markdown-body" data-testid="markdown-preview" aria-label="Preview">
      {text.trim() === "" ? (
        <p className="collab-preview__empty">Nothing to preview yet.</p>
      ) : (
        <Markdown remarkPlugins={remarkPlugins} components={components} urlTransform={mentionUrlTransform} skipHtml>
          {text}
        </Markdown>
      )}
    </div>
  );
});
