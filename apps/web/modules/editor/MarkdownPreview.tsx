"use client";

import { memo } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

// Raw HTML in the markdown is never rendered (react-markdown drops it without rehype-raw) and
// unsafe link schemes are stripped by its default urlTransform; links open away from the editor.
const components: Components = {
  a: ({ node: _node, ...props }) => <a {...props} target="_blank" rel="noopener noreferrer nofollow" />,
  img: ({ node: _node, alt, ...props }) => (
    <img {...props} alt={alt ?? ""} referrerPolicy="no-referrer" loading="lazy" />
  ),
};

/** The document rendered as markdown, safe for text anyone in the organization wrote. */
export const MarkdownPreview = memo(function MarkdownPreview({ text }: { text: string }) {
  return (
    <div className="collab-preview markdown-body" data-testid="markdown-preview" aria-label="Preview">
      {text.trim() === "" ? (
        <p className="collab-preview__empty">Nothing to preview yet.</p>
      ) : (
        <Markdown remarkPlugins={[remarkGfm]} components={components} skipHtml>
          {text}
        </Markdown>
      )}
    </div>
  );
});
