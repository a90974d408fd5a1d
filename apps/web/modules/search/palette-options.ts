import type { SearchPassageDto, SearchResultDto } from "@devflow/contracts";

/**
 * One selectable row of the palette. A document's title row opens the document; a passage row opens
 * it with that passage selected. Rows are flat (one listbox) so ↑/↓ walk through every group.
 */
export type PaletteOption =
  | { kind: "document"; id: string; result: SearchResultDto }
  | { kind: "passage"; id: string; result: SearchResultDto; passage: SearchPassageDto };

/** The rows under one document's heading. */
export interface PaletteGroup {
  result: SearchResultDto;
  options: { option: PaletteOption; index: number }[];
}

/**
 * The palette's rows, in display order, grouped per document. `index` is the row's position in the
 * flat list that the keyboard moves through; `id` is the DOM id `aria-activedescendant` points at.
 */
export function paletteGroupsOf(results: readonly SearchResultDto[], idPrefix: string): PaletteGroup[] {
  let index = 0;
  return results.map((result) => {
    const document: PaletteOption = { kind: "document", id: `${idPrefix}-${index}`, result };
    const options: { option: PaletteOption; index: number }[] = [{ option: document, index: index++ }];
    for (const passage of result.passages) {
      const option: PaletteOption = { kind: "passage", id: `${idPrefix}-${index}`, result, passage };
      options.push({ option, index: index++ });
    }
    return { result, options };
  });
}

/** The flat list of rows behind `groups`. */
export function flattenGroups(groups: readonly PaletteGroup[]): PaletteOption[] {
  return groups.flatMap((group) => group.options.map((o) => o.option));
}

/**
 * Keys that move the active row. Home and End are not among them: in the combobox's text field they
 * move the caret, as people expect.
 */
export type NavigationKey = "ArrowDown" | "ArrowUp" | "PageDown" | "PageUp";

const PAGE_STEP = 5;

/**
 * The active row after a navigation key, as in the ARIA combobox pattern: ↓/↑ wrap around,
 * PageDown/PageUp move a few rows without wrapping. -1 means no row is active (no
 * results yet); the first ↓ then activates the first row and the first ↑ the last.
 */
export function moveActiveIndex(current: number, key: NavigationKey, count: number): number {
  if (count <= 0) return -1;
  const last = count - 1;
  switch (key) {
    case "ArrowDown":
      return current < 0 || current >= last ? 0 : current + 1;
    case "ArrowUp":
      return current <= 0 ? last : Math.min(current - 1, last);
    case "PageDown":
      return Math.min(Math.max(current, 0) + PAGE_STEP, last);
    case "PageUp":
      return Math.max(Math.min(current, last) - PAGE_STEP, 0);
  }
}

export function isNavigationKey(key: string): key is NavigationKey {
  return ["ArrowDown", "ArrowUp", "PageDown", "PageUp"].includes(key);
}
