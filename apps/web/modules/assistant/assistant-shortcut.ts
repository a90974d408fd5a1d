import type { ShortcutEvent } from "../search/search-shortcut";

/**
 * Cmd+J on a Mac, Ctrl+J elsewhere (either everywhere), without Alt or Shift, and not while an
 * input method is composing: opens and closes the assistant panel.
 */
export function isAssistantShortcut(event: ShortcutEvent): boolean {
  if (event.isComposing || event.altKey || event.shiftKey) return false;
  if (event.metaKey === event.ctrlKey) return false;
  return event.key.toLowerCase() === "j";
}
