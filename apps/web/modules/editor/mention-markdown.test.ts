import { mentionToken } from "@devflow/contracts";
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { MarkdownPreview } from "./MarkdownPreview";
import { mentionUrlTransform, remarkMentions } from "./mention-markdown";

const ADA = "4f9a8b7c-0000-4000-8000-000000000001";
const preview = (text: string) => renderToStaticMarkup(createElement(MarkdownPreview, { text }));

describe("the preview of a document with mentions", () => {
  it("draws a mention token as one @Name chip, not a link", () => {
    const html = preview(`Ask ${mentionToken("Ada Lovelace", ADA)} about it.`);
    expect(html).toContain(
      `Ask <span class="mention-chip" data-testid="mention" data-user-id="${ADA}">@Ada Lovelace</span> about it.`,
    );
    expect(html).not.toContain("<a");
  });

  it("keeps ordinary links as links, and still empties unsafe ones", () => {
    const html = preview("[docs](https://x.example/a) and [bad](javascript:alert(1))");
    expect(html).toContain('href="https://x.example/a"');
    expect(html).toContain(">docs</a>");
    expect(html).not.toContain("javascript:");
  });

  it("leaves a mention in code as written", () => {
    const token = mentionToken("Ada", ADA);
    expect(preview(`\`${token}\``)).toContain(`<code>${token}</code>`);
  });
});

describe("mentionUrlTransform", () => {
  it("keeps mention targets only when they name a user id", () => {
    expect(mentionUrlTransform(`mention:${ADA}`)).toBe(`mention:${ADA}`);
    expect(mentionUrlTransform("mention:ada")).toBe("");
    expect(mentionUrlTransform("https://x.example")).toBe("https://x.example");
  });
});

describe("remarkMentions", () => {
  it("takes the @ off the text before a mention link only", () => {
    const tree = {
      type: "root",
      children: [
        {
          type: "paragraph",
          children: [
            { type: "text", value: "Hi @" },
            { type: "link", url: `mention:${ADA}`, children: [{ type: "text", value: "Ada" }] },
            { type: "text", value: " and @" },
            { type: "link", url: "https://x.example", children: [] },
          ],
        },
      ],
    };
    remarkMentions()(tree);
    const values = tree.children[0]!.children.map((c) => ("value" in c ? c.value : c.type));
    expect(values).toEqual(["Hi ", "link", " and @", "link"]);
  });
});
