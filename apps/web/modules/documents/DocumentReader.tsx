import { DOCUMENT_KIND_LABELS, type DocumentDto, type MyOrganizationDto, type ProjectDto } from "@devflow/contracts";
import { Alert, KindBadge, StatusBadge } from "@devflow/web-ui";
import Link from "next/link";
import type { ReactNode } from "react";
import { countOf, formatDateTime } from "../common/format";
import { DOCUMENT_STATUS_LABELS } from "./labels";

export interface DocumentReaderProps {
  organization: MyOrganizationDto;
  project: ProjectDto;
  document: DocumentDto;
  /** The document's body, e.g. the live editor; the plain markdown, read-only, when absent. */
  children?: ReactNode;
}

/** A document's header (breadcrumbs, title, kind, status) above its body. */
export function DocumentReader({ organization, project, document, children }: DocumentReaderProps) {
  return (
    <article className="page" data-testid="document-reader">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link href={`/${organization.slug}`}>Projects</Link>
        <span className="breadcrumbs__separator" aria-hidden>
          /
        </span>
        <Link href={`/${organization.slug}/projects/${project.id}`}>{project.name}</Link>
        <span className="breadcrumbs__separator" aria-hidden>
          /
        </span>
        <span aria-current="page">{document.title}</span>
      </nav>

      <header className="page-header__text">
        <h1 className="page-title" data-testid="document-heading">
          {document.title}
        </h1>
        <div className="doc-meta">
          <KindBadge kind={document.kind}>{DOCUMENT_KIND_LABELS[document.kind]}</KindBadge>
          <StatusBadge status={document.status}>{DOCUMENT_STATUS_LABELS[document.status]}</StatusBadge>
          <span>
            {countOf(document.version, "revision")} · updated{" "}
            <time dateTime={document.updatedAt}>{formatDateTime(document.updatedAt)}</time>
          </span>
          {document.archivedAt && <span>· archived</span>}
        </div>
      </header>

      {children ?? (
        <>
          <Alert tone="info">Read-only view.</Alert>
          <div className="panel">
            {document.content.trim() === "" ? (
              <p className="doc-content" style={{ fontFamily: "var(--font-sans)", color: "var(--color-text-muted)" }}>
                This document is empty.
              </p>
            ) : (
              <pre className="doc-content" data-testid="document-content">
                {document.content}
              </pre>
            )}
          </div>
        </>
      )}
    </article>
  );
}
