import type { LedgerSourceDto } from "@devflow/contracts";
import Link from "next/link";
import { documentHref } from "../search/passage-link";
import styles from "./ai-activity.module.css";

/**
 * The passages a tool read, each a link that opens the document at that passage and version
 * (`?at=from-to&v=version`, as search results do); a source without a range opens the document.
 */
export function SourceLinks({
  orgSlug,
  sources,
  hiddenCount,
  most = Infinity,
}: {
  orgSlug: string;
  sources: LedgerSourceDto[];
  hiddenCount: number;
  /** Show at most this many, then "+n more". */
  most?: number;
}) {
  if (sources.length === 0 && hiddenCount === 0) return <span className={styles.muted}>—</span>;
  const shown = sources.slice(0, most);
  const more = sources.length - shown.length;
  return (
    <ul className={styles.sources}>
      {shown.map((source, i) => {
        const hasRange = source.start !== undefined && source.end !== undefined;
        const href = documentHref(
          orgSlug,
          source.documentId,
          hasRange ? { from: source.start!, to: source.end!, version: source.version } : undefined,
        );
        return (
          <li key={`${source.documentId}:${source.start ?? ""}:${i}`}>
            <Link href={href} className={styles.sourceLink} data-testid="source-link">
              {source.title || "Untitled"}
            </Link>
            <span className={styles.muted}>
              {" "}
              v{source.version}
              {hasRange && ` · ${source.start}–${source.end}`}
            </span>
          </li>
        );
      })}
      {more > 0 && <li className={styles.muted}>+{more} more</li>}
      {hiddenCount > 0 && (
        <li className={styles.muted} title="In a project you cannot see, or deleted since">
          {hiddenCount} hidden
        </li>
      )}
    </ul>
  );
}
