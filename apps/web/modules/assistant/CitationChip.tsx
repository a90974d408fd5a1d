"use client";

import type { CitationCheckDto, CitationDto } from "@devflow/contracts";
import Link from "next/link";
import { documentHref } from "../search/passage-link";

export interface CitationChipProps {
  citation: CitationDto;
  /** Whether the passage still reads the same; undefined while being checked. */
  check: CitationCheckDto | undefined;
  orgSlug: string;
}

/**
 * `[n]` in an answer: opens the document at the cited passage — where it is now when the check
 * found it, else at the cited version's range (the document page finds it again) — and says when
 * the passage has changed since the answer quoted it.
 */
export function CitationChip({ citation, check, orgSlug }: CitationChipProps) {
  const target =
    check?.current && check.status === "current"
      ? { from: check.current.start, to: check.current.end, version: check.current.version }
      : { from: citation.start, to: citation.end, version: citation.version };
  const flag =
    check?.status === "changed" ? "changed since" : check?.status === "missing" ? "no longer available" : null;
  const label = `Source ${citation.ref}: ${citation.title}, version ${citation.version}${flag ? ` (${flag})` : ""}`;
  return (
    <Link
      href={documentHref(orgSlug, citation.documentId, target)}
      className={`citation-chip${flag ? " citation-chip--stale" : ""}`}
      title={`${citation.title} (v${citation.version})\n“${citation.quote.slice(0, 200)}”${flag ? `\n${flag}` : ""}`}
      aria-label={label}
      data-testid="citation-chip"
      data-citation-status={check?.status ?? "unchecked"}
    >
      {citation.ref}
      {flag && (
        <span className="citation-chip__flag" aria-hidden>
          !
        </span>
      )}
    </Link>
  );
}

/** The answer's sources under it: title, version and whether each changed since. */
export function CitationList({
  citations,
  checks,
  orgSlug,
}: {
  citations: readonly CitationDto[];
  checks: ReadonlyMap<number, CitationCheckDto>;
  orgSlug: string;
}) {
  if (citations.length === 0) return null;
  return (
    <ol className="citation-list" aria-label="Sources">
      {citations.map((c) => {
        const check = checks.get(c.ref);
        return (
          <li key={c.ref} className="citation-list__item">
            <CitationChip citation={c} check={check} orgSlug={orgSlug} />
            <span className="citation-list__title">{c.title}</span>
            <span className="citation-list__meta">v{c.version}</span>
            {check?.status === "changed" && <span className="citation-list__stale">changed since</span>}
            {check?.status === "missing" && <span className="citation-list__stale">no longer available</span>}
          </li>
        );
      })}
    </ol>
  );
}
