import { describe, expect, it } from "vitest";
import { isSearchShortcut, type ShortcutEvent } from "./search-shortcut";

const press = (key: string, modifiers: Partial<ShortcutEvent> = {}): ShortcutEvent => ({
  key,
  metaKey: false,
  ctrlKey: false,
  altKey: false,
  shiftKey: false,
  ...modifiers,
});

describe("isSearchShortcut", () => {
  it("accepts Cmd+K and Ctrl+K", () => {
    expect(isSearchShortcut(press("k", { metaKey: true }))).toBe(true);
    expect(isSearchShortcut(press("k", { ctrlKey: true }))).toBe(true);
    expect(isSearchShortcut(press("K", { ctrlKey: true }))).toBe(true);
  });

  it("ignores K alone, other letters and other modifier combinations", () => {
    expect(isSearchShortcut(press("k"))).toBe(false);
    expect(isSearchShortcut(press("j", { ctrlKey: true }))).toBe(false);
    expect(isSearchShortcut(press("k", { ctrlKey: true, metaKey: true }))).toBe(false);
    expect(isSearchShortcut(press("k", { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isSearchShortcut(press("k", { metaKey: true, altKey: true }))).toBe(false);
  });

  it("ignores the key while an input method is composing", () => {
    expect(isSearchShortcut(press("k", { ctrlKey: true, isComposing: true }))).toBe(false);
  });
});
