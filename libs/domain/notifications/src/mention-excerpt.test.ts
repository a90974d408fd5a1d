import { mentionToken } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { mentionExcerpt } from "./mention-excerpt";

const ADA = "4f9a8b7c-0000-4000-8000-000000000001";
const BOB = "4f9a8b7c-0000-4000-8000-000000000002";
const ada = mentionToken("Ada Lovelace", ADA);
const bob = mentionToken("Bob", BOB);
const whole = (text: string) => ({ text, isCutBefore: false, isCutAfter: false });

describe("mentionExcerpt", () => {
  it("quotes the text around the mention on one line, every token read as @Name", () => {
    expect(mentionExcerpt(whole(`## Review\n\nPlease check this, ${ada} and ${bob}.\nThanks`), BOB)).toBe(
      "## Review Please check this, @Ada Lovelace and @Bob. Thanks",
    );
  });

  it("is empty when the person's token is no longer in the text", () => {
    expect(mentionExcerpt(whole(`Only ${ada} here`), BOB)).toBe("");
  });

  it("keeps about a hundred characters before the mention, from a word, and cuts what follows", () => {
    const before = `${"word ".repeat(60)}end `;
    const after = " more".repeat(100);
    const excerpt = mentionExcerpt(whole(`${before}${bob}${after}`), BOB);
    expect(excerpt.startsWith("…word")).toBe(true);
    expect(excerpt).toContain("end @Bob more");
    expect(excerpt.endsWith("…")).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(280);
  });

  it("drops what the window's edges cut out of a word or a token", () => {
    const text = `${ada.slice(9)} said so. Ask ${bob} and ${ada.slice(0, 12)}`;
    expect(mentionExcerpt({ text, isCutBefore: true, isCutAfter: true }, BOB)).toBe("…said so. Ask @Bob and");
    const words = `tial word here, ${bob} then more wor`;
    expect(mentionExcerpt({ text: words, isCutBefore: true, isCutAfter: true }, BOB)).toBe(
      "…word here, @Bob then more",
    );
  });

  it("keeps a whole token that the window happens to end or start with", () => {
    expect(mentionExcerpt({ text: `${ada} and ${bob}`, isCutBefore: true, isCutAfter: true }, BOB)).toBe(
      "…@Ada Lovelace and @Bob",
    );
  });
});
