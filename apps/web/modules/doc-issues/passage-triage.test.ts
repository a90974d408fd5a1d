import { TRIAGE_TEXT_MAX, type TriageSuggestionDto } from "@devflow/contracts";
import { describe, expect, it } from "vitest";
import { duplicateReference, hasSuggestions, similarityText, triageInput } from "./passage-triage";

const REPOSITORY_ID = "0b6f3c52-5f0e-4d7a-9a51-3f1f7d7f2e10";

const nothing: TriageSuggestionDto = {
  priority: { value: "P3", because: [] },
  labels: [],
  component: null,
  duplicates: [],
  embeddingModel: "lexical-v1",
  semantic: false,
  triagedAt: "2026-11-30T12:00:00.000Z",
};

const duplicate = {
  issueId: "5e0c7f44-7d0b-4b8e-9a47-0c0f9f6a1d21",
  repositoryFullName: "acme/api",
  number: 12,
  title: "Rate limit tokens",
  state: "open",
  url: "https://github.com/acme/api/issues/12",
  similarity: 0.873,
};

describe("what the passage is triaged against", () => {
  it("scopes triage to the chosen repository", () => {
    expect(triageInput("Tokens must be rate limited.", REPOSITORY_ID)).toEqual({
      text: "Tokens must be rate limited.",
      repositoryId: REPOSITORY_ID,
    });
  });

  it("triages against the whole organization when no repository is chosen", () => {
    expect(triageInput("Tokens must be rate limited.", undefined)).toEqual({ text: "Tokens must be rate limited." });
    expect(triageInput("Tokens must be rate limited.", "")).toEqual({ text: "Tokens must be rate limited." });
  });

  it("does not triage a blank passage or one longer than the server takes", () => {
    expect(triageInput("  \n ", REPOSITORY_ID)).toBeNull();
    expect(triageInput("a".repeat(TRIAGE_TEXT_MAX + 1), REPOSITORY_ID)).toBeNull();
    expect(triageInput("a".repeat(TRIAGE_TEXT_MAX), REPOSITORY_ID)).not.toBeNull();
  });
});

describe("whether triage has anything to say", () => {
  it("has nothing to say with only the fallback priority", () => {
    expect(hasSuggestions(nothing)).toBe(false);
  });

  it("has something to say with a duplicate, a label, a component or a reasoned priority", () => {
    expect(hasSuggestions({ ...nothing, duplicates: [duplicate] })).toBe(true);
    expect(hasSuggestions({ ...nothing, labels: [{ value: "bug", because: ["crash"] }] })).toBe(true);
    expect(hasSuggestions({ ...nothing, component: { value: "billing", because: ["invoice"] } })).toBe(true);
    expect(hasSuggestions({ ...nothing, priority: { value: "P1", because: ["outage"] } })).toBe(true);
  });
});

describe("how a duplicate is shown", () => {
  it("refers to it as GitHub does", () => {
    expect(duplicateReference(duplicate)).toBe("acme/api#12");
  });

  it("says a lexical similarity is about shared words", () => {
    expect(similarityText(0.873, true)).toBe("87% similar");
    expect(similarityText(0.873, false)).toBe("87% similar by shared words");
  });
});
