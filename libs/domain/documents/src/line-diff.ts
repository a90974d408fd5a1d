import type { DiffHunkDto, DiffLineDto } from "@devflow/contracts";
import { diffLines } from "diff";

export interface LineDiff {
  hunks: DiffHunkDto[];
  linesInserted: number;
  linesDeleted: number;
}

/** Lines of unchanged text shown around each change. */
export const DIFF_CONTEXT_LINES = 3;
/** Past this, the diff gives up on finding the smallest edit and shows the changed middle as replaced. */
const DIFF_TIMEOUT_MS = 2_000;

/**
 * A line diff of `before` → `after` as unified-diff hunks with line numbers on both sides. Lines
 * carry their text without the line break. Very different large texts fall back to one
 * replacement of everything between the common first and last lines instead of running long.
 */
export function lineDiff(before: string, after: string, context = DIFF_CONTEXT_LINES): LineDiff {
  if (before === after) return { hunks: [], linesInserted: 0, linesDeleted: 0 };
  const rows = diffRows(before, after);
  const linesInserted = rows.filter((r) => r.kind === "insert").length;
  const linesDeleted = rows.filter((r) => r.kind === "delete").length;
  return { hunks: toHunks(rows, context), linesInserted, linesDeleted };
}

function splitLines(text: string): string[] {
  if (text === "") return [];
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  return lines;
}

function diffRows(before: string, after: string): DiffLineDto[] {
  const changes = diffLines(before, after, { timeout: DIFF_TIMEOUT_MS });
  const rows: DiffLineDto[] = [];
  let oldLine = 1;
  let newLine = 1;
  if (!changes) {
    const oldLines = splitLines(before);
    const newLines = splitLines(after);
    let start = 0;
    while (start < oldLines.length && start < newLines.length && oldLines[start] === newLines[start]) start++;
    let end = 0;
    while (
      end < oldLines.length - start &&
      end < newLines.length - start &&
      oldLines[oldLines.length - 1 - end] === newLines[newLines.length - 1 - end]
    )
      end++;
    for (const text of oldLines.slice(0, start))
      rows.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    for (const text of oldLines.slice(start, oldLines.length - end))
      rows.push({ kind: "delete", text, oldLine: oldLine++ });
    for (const text of newLines.slice(start, newLines.length - end))
      rows.push({ kind: "insert", text, newLine: newLine++ });
    for (const text of oldLines.slice(oldLines.length - end))
      rows.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    return rows;
  }
  for (const change of changes) {
    for (const text of splitLines(change.value)) {
      if (change.added) rows.push({ kind: "insert", text, newLine: newLine++ });
      else if (change.removed) rows.push({ kind: "delete", text, oldLine: oldLine++ });
      else rows.push({ kind: "context", text, oldLine: oldLine++, newLine: newLine++ });
    }
  }
  return rows;
}

function toHunks(rows: readonly DiffLineDto[], context: number): DiffHunkDto[] {
  const ranges: [number, number][] = [];
  for (let i = 0; i < rows.length;) {
    if (rows[i]!.kind === "context") {
      i++;
      continue;
    }
    let end = i;
    while (end < rows.length && rows[end]!.kind !== "context") end++;
    const last = ranges.at(-1);
    // Changes with at most 2 × context unchanged lines between them share a hunk.
    if (last && i - last[1] <= 2 * context) last[1] = end;
    else ranges.push([i, end]);
    i = end;
  }
  const oldPrefix = [0];
  const newPrefix = [0];
  for (const row of rows) {
    oldPrefix.push(oldPrefix.at(-1)! + (row.oldLine === undefined ? 0 : 1));
    newPrefix.push(newPrefix.at(-1)! + (row.newLine === undefined ? 0 : 1));
  }
  return ranges.map(([changeStart, changeEnd]) => {
    const start = Math.max(0, changeStart - context);
    const end = Math.min(rows.length, changeEnd + context);
    const lines = rows.slice(start, end);
    const oldBefore = oldPrefix[start]!;
    const newBefore = newPrefix[start]!;
    const oldLines = oldPrefix[end]! - oldBefore;
    const newLines = newPrefix[end]! - newBefore;
    return {
      // Unified diff's convention: an empty side starts at the line before it (0 at the top).
      oldStart: oldBefore + (oldLines > 0 ? 1 : 0),
      oldLines,
      newStart: newBefore + (newLines > 0 ? 1 : 0),
      newLines,
      lines,
    };
  });
}
