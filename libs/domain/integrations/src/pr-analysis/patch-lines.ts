/** A line a pull request adds: its number in the head commit's version of the file, and its text. */
export type AddedLine = [line: number, text: string];

const HUNK = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@/;

/**
 * The lines a unified diff hunk (GitHub's `patch` of one file) adds, numbered as in the new file.
 * Context lines advance the count, removed lines do not; "\ No newline at end of file" is no line.
 */
export function addedLines(patch: string): AddedLine[] {
  const added: AddedLine[] = [];
  let next = 0;
  for (const raw of patch.split("\n")) {
    const hunk = HUNK.exec(raw);
    if (hunk) {
      next = Number(hunk[1]);
      continue;
    }
    if (next === 0 || raw.startsWith("\\")) continue;
    if (raw.startsWith("+")) added.push([next++, raw.slice(1)]);
    else if (!raw.startsWith("-")) next++;
  }
  return added;
}
