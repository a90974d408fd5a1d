"use client";

import type { CheckCitationsInput, CitationCheckDto, CitationDto } from "@devflow/contracts";
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
 * the passage has changed since the answer quoted it. A cited uploaded file downloads instead
 * (files have no page of their own); its one version is not worth naming.
 */
export function CitationChip({ citation, check, orgSlug }: CitationChipProps) {
  const flag =
    check?.status === "changed" ? "changed since" : check?.status === "missing" ? "no longer available" : null;
  const className = `citation-chip${flag ? " citation-chip--stale" : ""}`;
  const content = (
    <>
      {citation.ref}
      {flag && (
        <span className="citation-chip__flag" aria-hidden>
          !
        </span>
      )}
    </>
  );
  const common = {
    className,
    "data-testid": "citation-chip",
    "data-citation-status": check?.status ?? "unchecked",
  };
  if (citation.sourceType === "file") {
    return (
      <a
        href={fileContentHref(citation.fileId)}
        {...common}
        data-citation-source="file"
        title={`${citation.title} (uploaded file)\n“${citation.quote.slice(0, 200)}”${flag ? `\n${flag}` : ""}`}
        aria-label={`Source ${citation.ref}: ${citation.title}, uploaded file${flag ? ` (${flag})` : ""}`}
      >
        {content}
      </a>
    );
  }
  const target =
    check?.current && check.status === "current"
      ? { from: check.current.start, to: check.current.end, version: check.current.version }
      : { from: citation.start, to: citation.end, version: citation.version };
  const label = `Source ${citation.ref}: ${citation.title}, version ${citation.version}${flag ? ` (${flag})` : ""}`;
  return (
    <Link
      href={documentHref(orgSlug, citation.documentId, target)}
      {...common}
      title={`${citation.title} (v${citation.version})\n“${citation.quote.slice(0, 200)}”${flag ? `\n${flag}` : ""}`}
      aria-label={label}
    >
      {content}
    </Link>
  );
}

/** The answer's sources under it: title (or file name), version (or "file") and whether each changed since. */
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
            <span className="citation-list__meta">{c.sourceType === "file" ? "file" : `v${c.version}`}</span>
            {check?.status === "changed" && <span className="citation-list__stale">changed since</span>}
            {check?.status === "missing" && <span className="citation-list__stale">no longer available</span>}
          </li>
        );
      })}
    </ol>
  );
}

/** What the citation check is asked about one citation: its source and range. */
export function citationCheckRef(citation: CitationDto): CheckCitationsInput["citations"][number] {
  const { version, start, end } = citation;
  return citation.sourceType === "file"
    ? { sourceType: "file", fileId: citation.fileId, version, start, end }
    : { sourceType: "document", documentId: citation.documentId, version, start, end };
}

/** An uploaded file's bytes, for download. */
function fileContentHref(fileId: string): string {
  return `/api/v1/files/${encodeURIComponent(fileId)}/content`;
}
