"use client";

import {
  PROJECT_ISSUE_STATES,
  type MyOrganizationDto,
  type ProjectDto,
  type ProjectIssueStateFilter,
} from "@devflow/contracts";
import { errorMessage, useListProjectIssuesInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SelectField, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { useState } from "react";
import { IssueRow } from "./IssueRow";
import { STATE_LABELS } from "./issue-format";
import styles from "./issues.module.css";

const STATE_OPTIONS = PROJECT_ISSUE_STATES.map((state) => ({ value: state, label: STATE_LABELS[state] }));

export interface IssuesViewProps {
  organization: MyOrganizationDto;
  project: ProjectDto;
}

/**
 * The GitHub issues of a project's linked repositories, newest first, with what triage suggested
 * when each was opened: priority (and the words behind it), labels not yet applied, component and
 * likely duplicates. Suggestions only: nothing here changes the issue on GitHub.
 */
export function IssuesView({ organization, project }: IssuesViewProps) {
  const [state, setState] = useState<ProjectIssueStateFilter>("open");
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListProjectIssuesInfiniteQuery({ organizationId: organization.id, projectId: project.id, state });
  const issues = currentData?.pages.flatMap((page) => page.items) ?? [];

  return (
    <div className="page">
      <nav className="breadcrumbs" aria-label="Breadcrumb">
        <Link href={`/${organization.slug}`}>Projects</Link>
        <span className="breadcrumbs__separator" aria-hidden>
          /
        </span>
        <Link href={`/${organization.slug}/projects/${project.id}`}>{project.name}</Link>
        <span className="breadcrumbs__separator" aria-hidden>
          /
        </span>
        <span aria-current="page">Issues</span>
      </nav>
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Issues</h1>
          <p className="page-subtitle">
            GitHub issues of {project.name}&apos;s linked repositories with their triage: suggested priority, labels and
            component, and likely duplicates. Suggestions only; nothing is changed on GitHub.
          </p>
        </div>
      </header>

      <div className={`panel ${styles.filters}`}>
        <SelectField
          label="State"
          name="state"
          value={state}
          options={STATE_OPTIONS}
          onChange={(event) => setState(event.target.value as ProjectIssueStateFilter)}
          data-testid="issues-filter-state"
        />
      </div>

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading the issues" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load the issues"
          action={
            <Button size="sm" onClick={() => void refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && issues.length === 0 && (
        <EmptyState
          testId="issues-empty"
          title={state === "all" ? "No issues yet" : `No ${state} issues`}
          description={
            state === "closed" ? (
              "Try another state."
            ) : (
              <>
                Issues appear here once a repository linked to this project sends GitHub issue events — link
                repositories under{" "}
                <Link href={`/${organization.slug}/settings/integrations#repositories`}>Settings → Integrations</Link>
              </>
            )
          }
        />
      )}
      {issues.length > 0 && (
        <div className="panel ui-table-wrap">
          <table className="ui-table" data-testid="project-issues-table">
            <caption className="ui-visually-hidden">Issues, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Issue</th>
                <th scope="col">Priority</th>
                <th scope="col">Suggested</th>
                <th scope="col">Likely duplicates</th>
                <th scope="col">Design docs</th>
              </tr>
            </thead>
            <tbody>
              {issues.map((issue) => (
                <IssueRow key={issue.id} issue={issue} orgSlug={organization.slug} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => void fetchNextPage()} isLoading={isFetchingNextPage} data-testid="load-more">
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}
