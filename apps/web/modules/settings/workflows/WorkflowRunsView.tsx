"use client";

import {
  WORKFLOW_RUN_STATUSES,
  type MyOrganizationDto,
  type WorkflowRunStatus,
  type WorkflowRunSummaryDto,
} from "@devflow/contracts";
import { errorMessage, useListWorkflowRunsInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Badge, Button, EmptyState, SelectField, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "../../common/format";
import { durationLabel, isActive, RUN_STATUS_LABELS, RUN_STATUS_TONES } from "./workflow-format";
import styles from "./workflows.module.css";

/** While a run on screen is queued or running, the list refreshes this often. */
const POLL_MS = 5_000;

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  ...WORKFLOW_RUN_STATUSES.map((status) => ({ value: status, label: RUN_STATUS_LABELS[status] })),
];

/** The organization's workflow runs for admins, newest first: filter by status, page back in time. */
export function WorkflowRunsView({ organization }: { organization: MyOrganizationDto }) {
  const [status, setStatus] = useState<WorkflowRunStatus | "">("");
  const [pollingInterval, setPollingInterval] = useState(0);
  const { currentData, error, isFetching, isFetchingNextPage, hasNextPage, fetchNextPage, refetch } =
    useListWorkflowRunsInfiniteQuery({ organizationId: organization.id, status }, { pollingInterval });
  const runs = currentData?.pages.flatMap((page) => page.items) ?? [];
  const nextInterval = runs.some((run) => isActive(run.status)) ? POLL_MS : 0;
  if (nextInterval !== pollingInterval) setPollingInterval(nextInterval);

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Workflows</h1>
          <p className="page-subtitle">
            Multi-step background work in {organization.name}, such as pull request analyses: every run, each
            step&apos;s input, output, timing and errors. A failed run can be retried from the step that failed.
          </p>
        </div>
      </header>

      <div className={`panel ${styles.filters}`}>
        <SelectField
          label="Status"
          name="status"
          value={status}
          options={STATUS_OPTIONS}
          onChange={(event) => setStatus(event.target.value as WorkflowRunStatus | "")}
          data-testid="workflow-filter-status"
        />
      </div>

      {!currentData && isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading workflow runs" />
        </div>
      )}
      {error !== undefined && (
        <Alert
          title="Could not load the workflow runs"
          action={
            <Button size="sm" onClick={() => refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {currentData && runs.length === 0 && (
        <EmptyState
          testId="workflows-empty"
          title={status ? `No ${RUN_STATUS_LABELS[status].toLowerCase()} runs` : "No workflow runs yet"}
          description={
            status
              ? "Try another status."
              : "Runs appear here when a workflow starts, for example when a pull request is analysed."
          }
        />
      )}
      {runs.length > 0 && (
        <div className="panel ui-table-wrap">
          <table className="ui-table" data-testid="workflow-runs">
            <caption className="ui-visually-hidden">Workflow runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Workflow</th>
                <th scope="col">Trigger</th>
                <th scope="col">Started</th>
                <th scope="col">Duration</th>
                <th scope="col">Steps</th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <RunRow key={run.id} run={run} orgSlug={organization.slug} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {hasNextPage && (
        <div className="list-footer">
          <Button onClick={() => fetchNextPage()} isLoading={isFetchingNextPage} data-testid="load-more">
            Load more
          </Button>
        </div>
      )}
    </div>
  );
}

function RunRow({ run, orgSlug }: { run: WorkflowRunSummaryDto; orgSlug: string }) {
  return (
    <tr data-testid="workflow-run-row" data-run-id={run.id}>
      <td>
        <Badge tone={RUN_STATUS_TONES[run.status]} testId="workflow-run-status">
          {RUN_STATUS_LABELS[run.status]}
        </Badge>
      </td>
      <td>
        <Link href={`/${orgSlug}/settings/workflows/${run.id}`} className={`${styles.rowLink} ${styles.code}`}>
          {run.workflow}
        </Link>
        {run.error && <div className={styles.errorText}>{run.error}</div>}
      </td>
      <td className={styles.code}>{run.triggerKey}</td>
      <td className={`${styles.muted} ${styles.nowrap}`}>
        {run.startedAt ? <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time> : "Not yet"}
      </td>
      <td className={styles.nowrap}>{durationLabel(run)}</td>
      <td className={styles.nowrap}>
        {run.succeededStepCount} of {run.stepCount}
      </td>
    </tr>
  );
}
