import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lineDiff } from "./line-diff";

/** Rebuilds both texts' lines from the hunks and the unchanged lines between them. */
function sides(before: string, diff: ReturnType<typeof lineDiff>) {
  const oldLines = before === "" ? [] : before.replace(/\n$/, "").split("\n");
  const rebuilt: string[] = [];
  let next = 1;
  for (const hunk of diff.hunks) {
    const firstOld = hunk.lines.find((l) => l.oldLine !== undefined)?.oldLine ?? hunk.oldStart + 1;
    while (next < firstOld) rebuilt.push(oldLines[next++ - 1]!);
    for (const line of hunk.lines) {
      if (line.kind !== "delete") rebuilt.push(line.text);
      if (line.oldLine !== undefined) next = line.oldLine + 1;
    }
  }
  while (next <= oldLines.length) rebuilt.push(oldLines[next++ - 1]!);
  return rebuilt;
}

describe("lineDiff", () => {
  it("numbers lines on both sides and keeps three lines of context", () => {
    const before = Array.from({ length: 12 }, (_, i) => `line ${i + 1}`).join("\n") + "\n";
    const after = before.replace("line 6\n", "line six\nline 6½\n");
    const diff = lineDiff(before, after);
    expect(diff).toMatchObject({ linesInserted: 2, linesDeleted: 1 });
    expect(diff.hunks).toHaveLength(1);
    const [hunk] = diff.hunks;
    expect(hunk).toMatchObject({ oldStart: 3, oldLines: 7, newStart: 3, newLines: 8 });
    expect(hunk!.lines.slice(2, 6)).toEqual([
      { kind: "context", text: "line 5", oldLine: 5, newLine: 5 },
      { kind: "delete", text: "line 6", oldLine: 6 },
      { kind: "insert", text: "line six", newLine: 6 },
      { kind: "insert", text: "line 6½", newLine: 7 },
    ]);
  });

  it("splits distant changes into separate hunks and reports nothing for equal texts", () => {
    const before = Array.from({ length: 30 }, (_, i) => `l${i}`).join("\n");
    const after = before.replace("l2\n", "L2\n").replace("l25\n", "L25\n");
    expect(lineDiff(before, after).hunks).toHaveLength(2);
    expect(lineDiff(before, before)).toEqual({ hunks: [], linesInserted: 0, linesDeleted: 0 });
    expect(lineDiff("", "a\nb\n").hunks[0]).toMatchObject({ oldStart: 0, oldLines: 0, newStart: 1, newLines: 2 });
  });

  it("describes every change: applying the hunks to the old lines gives the new lines", () => {
    const lines = fc.array(fc.constantFrom("a", "b", "c", "", "d d"), { maxLength: 25 });
    fc.assert(
      fc.property(lines, lines, (a, b) => {
        const before = a.map((l) => `${l}\n`).join("");
        const after = b.map((l) => `${l}\n`).join("");
        expect(sides(before, lineDiff(before, after))).toEqual(b);
      }),
      { numRuns: 300 },
    );
  });
});
