"use client";

import { SEARCH_QUERY_MAX, type SearchResponseDto } from "@devflow/contracts";
import { errorMessage, useSearchQuery } from "@devflow/web-data-access";
import { Button, Spinner } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useEffect, useId, useMemo, useRef, useState, type KeyboardEvent } from "react";
import { DocumentIcon } from "../common/icons";
import { Highlighted } from "./Highlighted";
import { documentHref } from "./passage-link";
import {
  flattenGroups,
  isNavigationKey,
  moveActiveIndex,
  paletteGroupsOf,
  type PaletteOption,
} from "./palette-options";
import "./search.css";

export interface SearchPaletteProps {
  isOpen: boolean;
  onClose: () => void;
  organizationId: string;
  orgSlug: string;
}

/** Typing settles this long before a search is sent. */
const DEBOUNCE_MS = 200;

/**
 * The Cmd/Ctrl+K search box: a modal combobox over workspace search. Results are grouped per document
 * (its title, then its best passages); ↑/↓ move, Enter opens, Esc closes, and the mouse works too.
 * Focus stays in the text field (the active row is `aria-activedescendant`), the modal `<dialog>`
 * keeps focus inside, and closing returns focus to where it was.
 */
export function SearchPalette({ isOpen, onClose, organizationId, orgSlug }: SearchPaletteProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const returnFocusRef = useRef<HTMLElement | null>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    if (isOpen && !dialog.open) {
      returnFocusRef.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      dialog.showModal();
    }
    if (!isOpen && dialog.open) {
      dialog.close();
      const previous = returnFocusRef.current;
      returnFocusRef.current = null;
      if (previous?.isConnected) previous.focus();
    }
  }, [isOpen]);

  return (
    <dialog
      ref={ref}
      className="search-palette"
      aria-label="Search documents"
      data-testid="search-palette"
      onCancel={(event) => {
        // React owns `isOpen`; the browser would otherwise close the dialog behind its back.
        event.preventDefault();
        onClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
    >
      {isOpen && <SearchPanel organizationId={organizationId} orgSlug={orgSlug} onClose={onClose} />}
    </dialog>
  );
}

/** The palette's content; mounted only while open, so every opening starts with an empty query. */
function SearchPanel({ organizationId, orgSlug, onClose }: Omit<SearchPaletteProps, "isOpen">) {
  const router = useRouter();
  const idPrefix = useId();
  const listboxId = `${idPrefix}-listbox`;
  const [text, setText] = useState("");
  const query = useDebouncedValue(text.trim(), DEBOUNCE_MS);
  const isTyping = query !== text.trim();
  const { data, error, isFetching, refetch } = useSearchQuery(
    { organizationId, q: query },
    { skip: query === "", refetchOnMountOrArgChange: 10 },
  );
  // Keep the last answer on screen while the next one loads, but never one for a cleared query.
  const answer: SearchResponseDto | undefined = query === "" ? undefined : data;
  const groups = useMemo(() => paletteGroupsOf(answer?.results ?? [], idPrefix), [answer, idPrefix]);
  const options = useMemo(() => flattenGroups(groups), [groups]);
  const [activeIndex, setActiveIndex] = useState(-1);
  const active = options[activeIndex];

  // A new answer activates its first row, so Enter opens the best match.
  useEffect(() => setActiveIndex(options.length > 0 ? 0 : -1), [options]);

  useEffect(() => {
    if (active) document.getElementById(active.id)?.scrollIntoView({ block: "nearest" });
  }, [active]);

  const open = (option: PaletteOption) => {
    const { result } = option;
    const passage =
      option.kind === "passage"
        ? { from: option.passage.startOffset, to: option.passage.endOffset, version: option.passage.version }
        : undefined;
    onClose();
    router.push(documentHref(orgSlug, result.documentId, passage));
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    const { key } = event;
    if (isNavigationKey(key)) {
      event.preventDefault();
      setActiveIndex((current) => moveActiveIndex(current, key, options.length));
    } else if (key === "Enter" && active) {
      event.preventDefault();
      open(active);
    }
  };

  const isSearching = query !== "" && (isTyping || isFetching);
  const hasQuery = text.trim() !== "";
  return (
    <div className="search-palette__panel">
      <div className="search-palette__field">
        <SearchGlyph />
        <input
          className="search-palette__input"
          type="text"
          role="combobox"
          aria-label="Search documents"
          aria-expanded={options.length > 0}
          aria-controls={listboxId}
          aria-autocomplete="list"
          aria-activedescendant={active?.id}
          aria-busy={isSearching}
          placeholder="Search titles and passages…"
          autoComplete="off"
          spellCheck={false}
          maxLength={SEARCH_QUERY_MAX}
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
          autoFocus
          data-testid="search-input"
        />
        {isSearching && <Spinner size={14} label="Searching" />}
        <kbd className="search-palette__kbd" aria-hidden>
          Esc
        </kbd>
      </div>

      <div className="search-palette__body">
        {!hasQuery && (
          <p className="search-palette__hint" data-testid="search-hint">
            Search the titles and text of documents you can read. <kbd>↑</kbd> <kbd>↓</kbd> to move, <kbd>Enter</kbd> to
            open, <kbd>Esc</kbd> to close.
          </p>
        )}
        {hasQuery && error !== undefined && !isFetching && (
          <div className="search-palette__error" role="alert" data-testid="search-error">
            <span>{errorMessage(error, "Search failed. Please try again.")}</span>
            <Button size="sm" onClick={() => void refetch()}>
              Try again
            </Button>
          </div>
        )}
        {hasQuery && !isSearching && error === undefined && answer && options.length === 0 && (
          <p className="search-palette__empty" role="status" data-testid="search-empty">
            No matches for “{answer.query}”.
          </p>
        )}
        <ul
          id={listboxId}
          role="listbox"
          aria-label="Search results"
          className="search-palette__results"
          data-stale={isSearching || undefined}
          data-testid="search-results"
          hidden={options.length === 0}
        >
          {groups.map((group) => (
            <li key={group.result.documentId} role="presentation" className="search-palette__group">
              <ul role="group" aria-label={group.result.title} className="search-palette__group-list">
                {group.options.map(({ option, index }) => (
                  <li
                    key={option.id}
                    id={option.id}
                    role="option"
                    aria-selected={index === activeIndex}
                    className={`search-option search-option--${option.kind}`}
                    data-testid={option.kind === "document" ? "search-result" : "search-passage"}
                    data-document-id={option.result.documentId}
                    onMouseMove={() => index !== activeIndex && setActiveIndex(index)}
                    // Keep focus in the text field; the click itself opens the row.
                    onMouseDown={(event) => event.preventDefault()}
                    onClick={() => open(option)}
                  >
                    <OptionContent option={option} />
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </div>

      {answer && (
        <p className="search-palette__footer" data-testid="search-retrieval">
          {answer.retrieval.semantic
            ? "Matches by meaning as well as by words."
            : "Matches words and close spellings (offline index); it does not match by meaning."}
        </p>
      )}
    </div>
  );
}

function OptionContent({ option }: { option: PaletteOption }) {
  if (option.kind === "document") {
    const { result } = option;
    return (
      <>
        <DocumentIcon size={14} className="search-option__icon" />
        <span className="search-option__title">
          <Highlighted text={result.title} ranges={result.titleHighlights} />
        </span>
        {result.projectName && <span className="search-option__project">{result.projectName}</span>}
      </>
    );
  }
  const { passage } = option;
  return (
    <span className="search-option__passage">
      {passage.heading && <span className="search-option__heading">{passage.heading}</span>}
      <span className="search-option__snippet" data-testid="search-snippet">
        <Highlighted text={passage.snippet} ranges={passage.highlights} />
      </span>
    </span>
  );
}

function useDebouncedValue<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return settled;
}

function SearchGlyph() {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden>
      <circle cx="7" cy="7" r="4.5" />
      <path d="M10.5 10.5l3.5 3.5" strokeLinecap="round" />
    </svg>
  );
}
