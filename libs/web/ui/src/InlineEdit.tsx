"use client";

import { useEffect, useRef, useState } from "react";

export interface InlineEditProps {
  value: string;
  /** The input's accessible name, e.g. "Document title". */
  label: string;
  /** Called with the trimmed new value when it is non-empty and changed. */
  onSubmit: (value: string) => void;
  onCancel: () => void;
  maxLength?: number;
  testId?: string;
}

/**
 * A text input that replaces a label in place. Enter or leaving the field saves; Escape cancels.
 * An unchanged or blank value counts as a cancel, so a stray click never writes an empty title.
 */
export function InlineEdit({ value, label, onSubmit, onCancel, maxLength, testId }: InlineEditProps) {
  const [draft, setDraft] = useState(value);
  const inputRef = useRef<HTMLInputElement>(null);
  // Enter then the blur caused by unmounting would otherwise submit twice.
  const isSettled = useRef(false);

  useEffect(() => {
    inputRef.current?.focus();
    inputRef.current?.select();
  }, []);

  function settle(save: boolean) {
    if (isSettled.current) return;
    isSettled.current = true;
    const next = draft.trim();
    if (save && next.length > 0 && next !== value) onSubmit(next);
    else onCancel();
  }

  return (
    <input
      ref={inputRef}
      className="ui-input ui-inline-edit"
      aria-label={label}
      value={draft}
      maxLength={maxLength}
      data-testid={testId}
      onChange={(event) => setDraft(event.target.value)}
      onBlur={() => settle(true)}
      onKeyDown={(event) => {
        if (event.key === "Enter") {
          event.preventDefault();
          settle(true);
        } else if (event.key === "Escape") {
          event.preventDefault();
          event.stopPropagation();
          settle(false);
        }
      }}
    />
  );
}
