"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import { errorMessage, useListProjectsInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { ArchiveTabs } from "../common/ArchiveTabs";
import { PlusIcon } from "../common/icons";
import { NewProjectDialog } from "./NewProjectDialog";
import { ProjectCard } from "./ProjectCard";

/** The organization's home: its projects, newest activity first, with "New project". */
export function ProjectsView({ organization }: { organization: MyOrganizationDto }) {
  const router = useRouter();
  const [isArchived, setIsArchived] = useState(false);
  const [isCreating, setIsCreating] = useState(false);
  const canWrite = organization.role !== "viewer";
  // `currentData`, not `data`: after switching tabs, the other tab's rows must not linger while loading.
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListProjectsInfiniteQuery({ organizationId: organization.id, ...(isArchived && { archived: true }) });
  const projects = currentData?.pages.flatMap((page) => page.items) ?? [];
  const projectHref = (id: string) => `/${organization.slug}/projects/${id}`;

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Projects</h1>
          <p className="page-subtitle">Everything {organization.name} is designing and deciding, by project.</p>
        </div>
        {canWrite && (
          <div className="page-actions">
            <Button variant="primary" onClick={() => setIsCreating(true)} data-testid="new-project">
              <PlusIcon />
              New project
            </Button>
          </div>
        )}
      </header>

      <ArchiveTabs isArchived={isArchived} onChange={setIsArchived} noun="projects" />

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={3} label="Loading projects" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load projects"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && projects.length === 0 && (
        <EmptyState
          testId="projects-empty"
          title={
            isArchived
              ? "No archived projects"
              : canWrite
                ? "No projects yet — create the first one"
                : "No projects yet"
          }
          description={
            isArchived
              ? undefined
              : canWrite
                ? "Projects group the design docs, RFCs and ADRs of one area of work."
                : "You can read this organization's work; a member or admin creates its projects."
          }
          action={
            !isArchived &&
            canWrite && (
              <Button variant="primary" onClick={() => setIsCreating(true)}>
                Create a project
              </Button>
            )
          }
        />
      )}
      {projects.length > 0 && (
        <ul className="project-grid" data-testid="project-list" aria-label="Projects">
          {projects.map((project) => (
            <li key={project.id}>
              <ProjectCard project={project} href={projectHref(project.id)} />
            </li>
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

      <NewProjectDialog
        organizationId={organization.id}
        isOpen={isCreating}
        onClose={() => setIsCreating(false)}
        onCreated={(project) => {
          setIsCreating(false);
          router.push(projectHref(project.id));
        }}
      />
    </div>
  );
}
