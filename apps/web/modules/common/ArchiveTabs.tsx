"use client";

import type { KeyboardEvent } from "react";

export interface ArchiveTabsProps {
  isArchived: boolean;
  onChange: (isArchived: boolean) => void;
  /** What is listed, e.g. "documents": names the tab list for screen readers. */
  noun: string;
}

const TABS = [
  { isArchived: false, label: "Active", testId: "tab-active" },
  { isArchived: true, label: "Archived", testId: "tab-archived" },
] as const;

/** Active / Archived switch, as ARIA tabs (arrow keys move between them). */
export function ArchiveTabs({ isArchived, onChange, noun }: ArchiveTabsProps) {
  function onKeyDown(event: KeyboardEvent) {
    if (event.key === "ArrowRight" || event.key === "ArrowLeft") {
      event.preventDefault();
      onChange(!isArchived);
    }
  }
  return (
    <div className="tabs" role="tablist" aria-label={`Which ${noun} to show`} onKeyDown={onKeyDown}>
      {TABS.map((tab) => (
        <button
          key={tab.label}
          type="button"
          role="tab"
          className="tab"
          aria-selected={tab.isArchived === isArchived}
          tabIndex={tab.isArchived === isArchived ? 0 : -1}
          data-testid={tab.testId}
          onClick={() => onChange(tab.isArchived)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}
