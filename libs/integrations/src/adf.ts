/** An Atlassian Document Format node, as much of it as plain text needs. */
export interface AdfNode {
  type: string;
  text?: string;
  content?: AdfNode[];
}

/** The root of an ADF document (developer.atlassian.com, "Atlassian Document Format"). */
export interface AdfDocument {
  type: "doc";
  version: 1;
  content: AdfNode[];
}

/**
 * Plain text as an ADF document: blank lines separate paragraphs and single line breaks become `hardBreak`
 * nodes, so the issue reads in Jira as it was written. ADF forbids empty text nodes, so blank input gives a
 * document with no content. Nothing is interpreted as markup: `*bold*` stays literal.
 */
export function plainTextToAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, "\n")
    .split(/\n[ \t]*\n+/)
    .map((block) => block.split("\n").filter((line) => line.trim() !== ""))
    .filter((lines) => lines.length > 0);
  return {
    type: "doc",
    version: 1,
    content: paragraphs.map((lines) => ({
      type: "paragraph",
      content: lines.flatMap((line, i): AdfNode[] =>
        i === 0 ? [{ type: "text", text: line }] : [{ type: "hardBreak" }, { type: "text", text: line }],
      ),
    })),
  };
}
