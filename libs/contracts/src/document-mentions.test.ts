import { describe, expect, it } from "vitest";
import {
  DOCUMENT_MENTIONS_MAX,
  findMentionTokens,
  MENTION_NAME_MAX,
  mentionedUserIds,
  mentionsAsText,
  mentionToken,
  mentionUserIdOf,
} from "./document-mentions";

const ADA = "4f9a8b7c-0000-4000-8000-000000000001";
const BOB = "4f9a8b7c-0000-4000-8000-000000000002";

describe("mentionToken", () => {
  it("writes a markdown link to mention:<userId> with an @ before it", () => {
    expect(mentionToken("Ada Lovelace", ADA)).toBe(`@[Ada Lovelace](mention:${ADA})`);
  });

  it("keeps brackets and line breaks out of the name, so the link cannot end early", () => {
    expect(mentionToken(" Ada [admin]\nL. ", ADA)).toBe(`@[Ada admin L.](mention:${ADA})`);
    expect(mentionToken("[]", ADA)).toBe(`@[someone](mention:${ADA})`);
  });

  it("cuts a long name, and what it writes is found again", () => {
    const token = mentionToken("x".repeat(MENTION_NAME_MAX + 20), ADA);
    expect(findMentionTokens(token)).toEqual([
      { name: "x".repeat(MENTION_NAME_MAX), userId: ADA, index: 0, length: token.length },
    ]);
  });
});

describe("findMentionTokens", () => {
  it("finds every token with its place, and lower-cases the id", () => {
    const text = `Ping @[Ada](mention:${ADA.toUpperCase()}) and @[Bob B](mention:${BOB}).`;
    expect(findMentionTokens(text)).toEqual([
      { name: "Ada", userId: ADA, index: 5, length: `@[Ada](mention:${ADA})`.length },
      { name: "Bob B", userId: BOB, index: text.indexOf("@[Bob"), length: `@[Bob B](mention:${BOB})`.length },
    ]);
  });

  it.each([
    ["no @", `[Ada](mention:${ADA})`],
    ["an id that is not a uuid", "@[Ada](mention:ada)"],
    ["another scheme", `@[Ada](https://x.example/${ADA})`],
    ["a cut-off token", `@[Ada](mention:${ADA.slice(0, 20)}`],
    ["a name across lines", `@[Ada\nL](mention:${ADA})`],
    ["an empty name", `@[](mention:${ADA})`],
  ])("ignores %s", (_, text) => {
    expect(findMentionTokens(text)).toEqual([]);
  });
});

describe("mentionedUserIds", () => {
  it("lists each person once, in order of first mention, across several texts", () => {
    const ada = mentionToken("Ada", ADA);
    const bob = mentionToken("Bob", BOB);
    expect(mentionedUserIds([`${bob} ${ada}`, "", `again ${bob}`])).toEqual([BOB, ADA]);
    expect(mentionedUserIds(`${ada}${ada}`)).toEqual([ADA]);
  });

  it(`stops at ${DOCUMENT_MENTIONS_MAX} people`, () => {
    const ids = Array.from({ length: 60 }, (_, i) => `4f9a8b7c-0000-4000-8000-${String(i).padStart(12, "0")}`);
    const text = ids.map((id) => mentionToken("P", id)).join(" ");
    expect(mentionedUserIds(text)).toEqual(ids.slice(0, DOCUMENT_MENTIONS_MAX));
    expect(mentionedUserIds(text, 2)).toEqual(ids.slice(0, 2));
  });
});

describe("mentionsAsText", () => {
  it("reads tokens as @Name and leaves everything else alone", () => {
    expect(mentionsAsText(`Ask ${mentionToken("Ada L", ADA)} about [docs](https://x.example).`)).toBe(
      "Ask @Ada L about [docs](https://x.example).",
    );
  });
});

describe("mentionUserIdOf", () => {
  it("names the user of a mention link and nothing else", () => {
    expect(mentionUserIdOf(`mention:${ADA}`)).toBe(ADA);
    expect(mentionUserIdOf(`mention:${ADA}x`)).toBeNull();
    expect(mentionUserIdOf("https://x.example")).toBeNull();
    expect(mentionUserIdOf(undefined)).toBeNull();
  });
});
