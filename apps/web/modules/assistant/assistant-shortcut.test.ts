import { describe, expect, it } from "vitest";
import { isAssistantShortcut } from "./assistant-shortcut";

const key = (over: Partial<Parameters<typeof isAssistantShortcut>[0]>) => ({
  key: "j",
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  ...over,
});

describe("isAssistantShortcut", () => {
  it("is Ctrl+J or Cmd+J, and nothing with Alt, Shift, both modifiers or while composing", () => {
    expect(isAssistantShortcut(key({ ctrlKey: true }))).toBe(true);
    expect(isAssistantShortcut(key({ metaKey: true, key: "J" }))).toBe(true);
    expect(isAssistantShortcut(key({}))).toBe(false);
    expect(isAssistantShortcut(key({ ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isAssistantShortcut(key({ ctrlKey: true, metaKey: true }))).toBe(false);
    expect(isAssistantShortcut(key({ ctrlKey: true, isComposing: true }))).toBe(false);
  });
});
