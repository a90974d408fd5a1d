"use client";

import { useEffect, useState } from "react";
import { SearchPalette } from "./SearchPalette";
import { isSearchShortcut } from "./search-shortcut";

/**
 * The sidebar's search button and the Cmd/Ctrl+K shortcut, which works anywhere in the signed-in app
 * (the editor included), and the palette they open.
 */
export function SearchLauncher({ organizationId, orgSlug }: { organizationId: string; orgSlug: string }) {
  const [isOpen, setIsOpen] = useState(false);
  const [isMac, setIsMac] = useState(false);

  useEffect(() => {
    // Read after hydration: the server cannot know the platform, and the label must match its HTML first.
    setIsMac(/Mac|iPhone|iPad/.test(navigator.platform));
    const onKeyDown = (event: KeyboardEvent) => {
      if (!isSearchShortcut(event)) return;
      // The browser's own Ctrl+K (focus the address bar's search) would take the keystroke otherwise,
      // and on a Mac the editor's Ctrl+K deletes to the end of the line.
      event.preventDefault();
      event.stopPropagation();
      setIsOpen((open) => !open);
    };
    // Capture, so an element that stops the event's propagation (an editor, a menu) cannot swallow it.
    window.addEventListener("keydown", onKeyDown, { capture: true });
    return () => window.removeEventListener("keydown", onKeyDown, { capture: true });
  }, []);

  return (
    <>
      <button
        type="button"
        className="search-launcher"
        onClick={() => setIsOpen(true)}
        aria-haspopup="dialog"
        aria-keyshortcuts="Meta+K Control+K"
        data-testid="search-open"
      >
        <svg width="14" height="14" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
          <circle cx="7" cy="7" r="4.5" />
          <path d="M10.5 10.5l3.5 3.5" strokeLinecap="round" />
        </svg>
        <span className="search-launcher__label">Search</span>
        <kbd className="search-launcher__kbd" aria-hidden>
          {isMac ? "⌘K" : "Ctrl K"}
        </kbd>
      </button>
      <SearchPalette
        isOpen={isOpen}
        onClose={() => setIsOpen(false)}
        organizationId={organizationId}
        orgSlug={orgSlug}
      />
    </>
  );
}
