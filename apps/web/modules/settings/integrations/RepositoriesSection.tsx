"use client";

import type { ProjectDto, RepositoryDto } from "@devflow/contracts";
import {
  errorMessage,
  useLinkRepositoryMutation,
  useListProjectsInfiniteQuery,
  useListRepositoriesInfiniteQuery,
} from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SelectField, SkeletonList, Spinner } from "@devflow/web-ui";
import { useEffect, useState } from "react";
import provisioning from "../provisioning/provisioning.module.css";
import tokens from "../tokens/tokens.module.css";
import styles from "./integrations.module.css";
import { QualityGatesDialog } from "./QualityGatesDialog";

const NONE = "";

/**
 * The repositories GitHub webhooks told DevFlow about, each with the project whose delivery metrics
 * it feeds; choosing a project saves at once. Each repository's quality gates open in a dialog. The
 * settings page is for admins only, who may link and change gates.
 */
export function RepositoriesSection({ organizationId }: { organizationId: string }) {
  const { data, error, isLoading, hasNextPage, fetchNextPage, isFetchingNextPage, refetch } =
    useListRepositoriesInfiniteQuery({ organizationId });
  const projects = useLinkableProjects(organizationId);
  const repositories = data?.pages.flatMap((page) => page.items) ?? [];
  const [gatesOf, setGatesOf] = useState<RepositoryDto | null>(null);

  return (
    <section className={provisioning.section} aria-labelledby="repositories-heading" id="repositories">
      <div>
        <h2 className={provisioning.sectionTitle} id="repositories-heading">
          Repositories
        </h2>
        <p className={provisioning.sectionLead}>
          Link each repository to the project whose delivery metrics (deployments, pull requests, incidents) it feeds.
        </p>
      </div>
      {error !== undefined && (
        <Alert
          title="Could not load the repositories"
          action={
            <Button size="sm" onClick={() => void refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {isLoading && (
        <div className="panel">
          <SkeletonList rows={3} label="Loading the repositories" />
        </div>
      )}
      {data && repositories.length === 0 && (
        <EmptyState
          testId="repositories-empty"
          title="No repositories yet"
          description="A repository shows up here once a connected GitHub webhook sends an event about it."
        />
      )}
      {repositories.length > 0 && (
        <div className={`panel ${tokens.tableWrap}`}>
          <table className={tokens.table} data-testid="repository-list">
            <caption className="ui-visually-hidden">Repositories</caption>
            <thead>
              <tr>
                <th scope="col">Repository</th>
                <th scope="col">Project</th>
                <th scope="col">Open pull requests</th>
                <th scope="col">Deployments (90 days)</th>
                <th scope="col">
                  <span className="ui-visually-hidden">Quality gates</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {repositories.map((repository) => (
                <tr key={repository.id} data-testid="repository-row" data-repository-id={repository.id}>
                  <td>
                    <div className={tokens.name}>{repository.fullName}</div>
                    <div className={tokens.muted}>default branch {repository.defaultBranch}</div>
                  </td>
                  <td>
                    <ProjectSelect organizationId={organizationId} repository={repository} projects={projects} />
                  </td>
                  <td>{repository.openPullRequestCount}</td>
                  <td>{repository.recentDeploymentCount}</td>
                  <td>
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => setGatesOf(repository)}
                      aria-label={`Quality gates of ${repository.fullName}`}
                      data-testid="repository-quality-gates"
                    >
                      Quality gates
                    </Button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasNextPage && (
        <Button size="sm" onClick={() => void fetchNextPage()} isLoading={isFetchingNextPage}>
          Show more repositories
        </Button>
      )}
      <QualityGatesDialog
        organizationId={organizationId}
        repository={gatesOf}
        canEdit
        onClose={() => setGatesOf(null)}
      />
    </section>
  );
}

/** Every project a repository may be linked to (not archived), all pages of them. */
function useLinkableProjects(organizationId: string): ProjectDto[] {
  const { data, hasNextPage, isFetchingNextPage, fetchNextPage } = useListProjectsInfiniteQuery({
    organizationId,
    limit: 100,
  });
  useEffect(() => {
    if (hasNextPage && !isFetchingNextPage) void fetchNextPage();
  }, [hasNextPage, isFetchingNextPage, fetchNextPage]);
  return data?.pages.flatMap((page) => page.items) ?? [];
}

/**
 * Saves on change. While the save is pending the choice is shown (and the select disabled); it
 * stays shown until the refreshed list agrees, and a failed save goes back to the stored project.
 */
function ProjectSelect({
  organizationId,
  repository,
  projects,
}: {
  organizationId: string;
  repository: RepositoryDto;
  projects: ProjectDto[];
}) {
  const current = repository.project?.id ?? NONE;
  const [choice, setChoice] = useState<{ value: string; over: string } | null>(null);
  const [link, { isLoading, error, reset }] = useLinkRepositoryMutation();
  const shown = choice && choice.over === current ? choice.value : current;
  const options = [
    { value: NONE, label: "Not linked" },
    // An archived project keeps its repositories but is not offered for new links.
    ...(repository.project && !projects.some((p) => p.id === repository.project!.id)
      ? [{ value: repository.project.id, label: `${repository.project.key} · ${repository.project.name} (archived)` }]
      : []),
    ...projects.map((p) => ({ value: p.id, label: `${p.key} · ${p.name}` })),
  ];

  async function change(value: string) {
    reset();
    setChoice({ value, over: current });
    await link({ organizationId, repositoryId: repository.id, input: { projectId: value || null } })
      .unwrap()
      .catch(() => setChoice(null)); // the error is shown from `error`
  }

  return (
    <div className={styles.repositoryProject}>
      <SelectField
        label={`Project of ${repository.fullName}`}
        isLabelHidden
        value={shown}
        onChange={(event) => void change(event.target.value)}
        options={options}
        disabled={isLoading}
        data-testid="repository-project"
      />
      {isLoading && <Spinner label="Saving" />}
      {error !== undefined && (
        <span className={styles.formError} role="alert">
          {errorMessage(error)}
        </span>
      )}
    </div>
  );
}
