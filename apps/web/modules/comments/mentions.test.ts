import { describe, expect, it } from "vitest";
import { insertMention, matchMentions, mentionedIds, mentionQueryAt, splitMentions } from "./mentions";

const people = [
  { id: "1", name: "Grace Hopper", email: "grace@demo.devflow.dev" },
  { id: "2", name: "Ada Lovelace", email: "ada@demo.devflow.dev" },
  { id: "3", name: "Alan Turing", email: "turing@demo.devflow.dev" },
];

describe("mentions in the composer", () => {
  it("finds the @word being typed before the caret, and nothing inside an email address", () => {
    expect(mentionQueryAt("Ping @gr", 8)).toEqual({ start: 5, query: "gr" });
    expect(mentionQueryAt("@", 1)).toEqual({ start: 0, query: "" });
    expect(mentionQueryAt("mail ada@x", 10)).toBeNull();
    expect(mentionQueryAt("Ping @gr done", 13)).toBeNull();
  });

  it("ranks people whose name starts with the query first, then other words, then emails", () => {
    expect(matchMentions(people, "a").map((p) => p.id)).toEqual(["2", "3"]);
    expect(matchMentions(people, "hop").map((p) => p.id)).toEqual(["1"]);
    expect(matchMentions(people, "turing").map((p) => p.id)).toEqual(["3"]);
  });

  it("replaces the query with the name and keeps only mentions whose name is still written", () => {
    const inserted = insertMention("Ping @gr please", 5, 8, "Grace Hopper");
    expect(inserted).toEqual({ text: "Ping @Grace Hopper please", caret: 18 });
    expect(insertMention("@ad", 0, 3, "Ada Lovelace")).toEqual({ text: "@Ada Lovelace ", caret: 14 });
    expect(mentionedIds(inserted.text, people)).toEqual(["1"]);
    expect(mentionedIds("Ping please", people)).toEqual([]);
  });

  it("cuts a body into text and mentions of the people named", () => {
    expect(splitMentions("Hi @Ada Lovelace and @Bob", ["Ada Lovelace"])).toEqual([
      { text: "Hi ", isMention: false },
      { text: "@Ada Lovelace", isMention: true },
      { text: " and @Bob", isMention: false },
    ]);
  });
});
