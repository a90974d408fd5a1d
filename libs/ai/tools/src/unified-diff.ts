import { lineDiff } from "@devflow/domain-documents";

/** Longest diff a tool returns; a rewrite of a long document is summarized past this. */
export const UNIFIED_DIFF_MAX = 20_000;

/**
 * `before` → `after` as a unified diff (the `diff -u` format people and models read), with the
 * labels as file names. Empty when nothing changed.
 */
export function unifiedDiff(before: string, after: string, labels: { from: string; to: string }): string {
  const { hunks } = lineDiff(before, after);
  if (hunks.length === 0) return "";
  const lines = [`--- ${labels.from}`, `+++ ${labels.to}`];
  for (const hunk of hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      lines.push(`${line.kind === "insert" ? "+" : line.kind === "delete" ? "-" : " "}${line.text}`);
    }
  }
  const text = `${lines.join("\n")}\n`;
  if (text.length <= UNIFIED_DIFF_MAX) return text;
  return `${text.slice(0, UNIFIED_DIFF_MAX)}\n… diff truncated at ${UNIFIED_DIFF_MAX} characters\n`;
}
