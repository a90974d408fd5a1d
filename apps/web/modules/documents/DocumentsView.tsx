"use client";

import type { MyOrganizationDto, ProjectDto } from "@devflow/contracts";
import { errorMessage, useGetProjectQuery, useListDocumentsInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { useState, type ReactNode } from "react";
import { ArchiveTabs } from "../common/ArchiveTabs";
import { countOf } from "../common/format";
import { PlusIcon } from "../common/icons";
import { DocumentRow } from "./DocumentRow";
import { NewDocumentDialog } from "./NewDocumentDialog";

export interface DocumentsViewProps {
  organization: MyOrganizationDto;
  /** As the page loaded it; kept fresh by the query below (the document count changes). */
  project: ProjectDto;
  /** Who-can-see-it controls (private badge, Share), placed beside the page's own actions. */
  accessActions?: ReactNode;
  /** More of the project below its documents (its files). */
  children?: ReactNode;
}

/** A project's documents: create, rename, move, archive/unarchive, delete; paged with "Load more". */
export function DocumentsView({ organization, project: initial, accessActions, children }: DocumentsViewProps) {
  const [isArchived, setIsArchived] = useState(false);
  const [isCreating, setIsCreating] = useState(false);
  const canWrite = organization.role !== "viewer";
  const { data: project = initial } = useGetProjectQuery({ organizationId: organization.id, projectId: initial.id });
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListDocumentsInfiniteQuery({
      organizationId: organization.id,
      projectId: project.id,
      ...(isArchived && { archived: true }),
    });
  const documents = currentData?.pages.flatMap((page) => page.items) ?? [];
  const canCreate = canWrite && !project.archivedAt;

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link href={`/${organization.slug}`}>Projects</Link>
        <span className="breadcrumbs__separator" aria-hidden>
          /
        </span>
        <span aria-current="page">{project.name}</span>
      </nav>

      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">
            {project.name} <span className="key-chip">{project.key}</span>
          </h1>
          <p className="page-subtitle">
            {project.description || "No description."} · {countOf(project.documentCount, "document")}
            {project.archivedAt && " · archived"}
          </p>
        </div>
        {(canCreate || accessActions) && (
          <div className="page-actions">
            {accessActions}
            {canCreate && (
              <Button variant="primary" onClick={() => setIsCreating(true)} data-testid="new-document">
                <PlusIcon />
                New document
              </Button>
            )}
          </div>
        )}
      </header>

      <ArchiveTabs isArchived={isArchived} onChange={setIsArchived} noun="documents" />

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading documents" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load documents"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && documents.length === 0 && (
        <EmptyState
          testId="documents-empty"
          title={
            isArchived
              ? "No archived documents"
              : canCreate
                ? "No documents yet — create the first one"
                : "No documents yet"
          }
          description={
            isArchived ? "Archived documents show up here." : "Design docs, RFCs and ADRs for this project live here."
          }
          action={
            !isArchived &&
            canCreate && (
              <Button variant="primary" onClick={() => setIsCreating(true)}>
                Create the first document
              </Button>
            )
          }
        />
      )}
      {documents.length > 0 && (
        <ul className="document-list panel" data-testid="document-list" aria-label={`Documents in ${project.name}`}>
          {documents.map((document) => (
            <DocumentRow key={document.id} document={document} organization={organization} canWrite={canWrite} />
          ))}
        </ul>
      )}
      {hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => fetchNextPage()} isLoading={isFetchingNextPage} data-testid="load-more">
            Load more
          </Button>
        </div>
      )}

      <NewDocumentDialog
        organizationId={organization.id}
        projectId={project.id}
        isOpen={isCreating}
        onClose={() => setIsCreating(false)}
        onCreated={() => {
          setIsCreating(false);
          setIsArchived(false);
        }}
      />

      {children}
    </div>
  );
}
