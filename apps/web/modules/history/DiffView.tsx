"use client";

import type { DiffHunkDto, DiffLineDto, DocumentDiffDto } from "@devflow/contracts";

export type DiffLayout = "unified" | "split";

interface SplitRow {
  left: DiffLineDto | null;
  right: DiffLineDto | null;
}

/** Pairs a hunk's deleted and inserted lines side by side; unchanged lines sit on both sides. */
export function splitRows(hunk: DiffHunkDto): SplitRow[] {
  const rows: SplitRow[] = [];
  let deleted: DiffLineDto[] = [];
  let inserted: DiffLineDto[] = [];
  const flush = () => {
    for (let i = 0; i < Math.max(deleted.length, inserted.length); i++) {
      rows.push({ left: deleted[i] ?? null, right: inserted[i] ?? null });
    }
    deleted = [];
    inserted = [];
  };
  for (const line of hunk.lines) {
    if (line.kind === "delete") deleted.push(line);
    else if (line.kind === "insert") inserted.push(line);
    else {
      flush();
      rows.push({ left: line, right: line });
    }
  }
  flush();
  return rows;
}

const SIGN: Record<DiffLineDto["kind"], string> = { context: " ", insert: "+", delete: "-" };

/** A line diff between two versions, unified or side by side. */
export function DiffView({ diff, layout }: { diff: DocumentDiffDto; layout: DiffLayout }) {
  if (diff.hunks.length === 0) {
    return (
      <p className="history-diff__empty" data-testid="diff-view">
        No differences between v{diff.fromVersion} and v{diff.toVersion}.
      </p>
    );
  }
  return (
    <div className={`history-diff history-diff--${layout}`} data-testid="diff-view">
      <p className="history-diff__summary">
        v{diff.fromVersion} → v{diff.toVersion}: <span className="history-diff__ins">+{diff.linesInserted}</span>{" "}
        <span className="history-diff__del">−{diff.linesDeleted}</span> lines
      </p>
      {diff.hunks.map((hunk, h) => (
        <table key={h} className="history-diff__hunk">
          <caption>
            @@ −{hunk.oldStart},{hunk.oldLines} +{hunk.newStart},{hunk.newLines} @@
          </caption>
          <tbody>
            {layout === "unified"
              ? hunk.lines.map((line, i) => (
                  <tr key={i} className={`history-diff__line history-diff__line--${line.kind}`}>
                    <td className="history-diff__num">{line.oldLine ?? ""}</td>
                    <td className="history-diff__num">{line.newLine ?? ""}</td>
                    <td className="history-diff__text">
                      {SIGN[line.kind]} {line.text}
                    </td>
                  </tr>
                ))
              : splitRows(hunk).map((row, i) => (
                  <tr key={i} className="history-diff__line">
                    <td className="history-diff__num">{row.left?.oldLine ?? ""}</td>
                    <td className={`history-diff__text history-diff__line--${row.left?.kind ?? "empty"}`}>
                      {row.left?.text ?? ""}
                    </td>
                    <td className="history-diff__num">{row.right?.newLine ?? ""}</td>
                    <td className={`history-diff__text history-diff__line--${row.right?.kind ?? "empty"}`}>
                      {row.right?.text ?? ""}
                    </td>
                  </tr>
                ))}
          </tbody>
        </table>
      ))}
    </div>
  );
}
