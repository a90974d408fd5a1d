/** The keys of a keyboard event that decide whether it is the search shortcut. */
export interface ShortcutEvent {
  key: string;
  metaKey: boolean;
  ctrlKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
  isComposing?: boolean;
}

/**
 * Cmd+K on a Mac, Ctrl+K elsewhere (either is accepted everywhere: people plug PC keyboards into Macs).
 * Not with Alt or Shift, which other shortcuts use, and not while an input method is composing text.
 */
export function isSearchShortcut(event: ShortcutEvent): boolean {
  if (event.isComposing || event.altKey || event.shiftKey) return false;
  if (event.metaKey === event.ctrlKey) return false;
  return event.key.toLowerCase() === "k";
}
