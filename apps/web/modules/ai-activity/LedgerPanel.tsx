"use client";

import type { AgentExecutionSummaryDto } from "@devflow/contracts";
import {
  errorMessage,
  useListAgentExecutionsInfiniteQuery,
  type AgentExecutionFilterArgs,
} from "@devflow/web-data-access";
import { Alert, Badge, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { formatDateTime } from "../common/format";
import { formatDuration } from "./activity-format";
import { OUTCOME_LABELS, OUTCOME_TONES } from "./labels";
import { SourceLinks } from "./SourceLinks";
import styles from "./ai-activity.module.css";

export interface LedgerPanelProps {
  organizationId: string;
  orgSlug: string;
  args: AgentExecutionFilterArgs;
  isFiltered: boolean;
}

/** The agent ledger tab: every tool an agent ran, newest first, each opening to its full record. */
export function LedgerPanel({ organizationId, orgSlug, args, isFiltered }: LedgerPanelProps) {
  const list = useListAgentExecutionsInfiniteQuery({ organizationId, ...args });
  const runs = list.currentData?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      {!list.currentData && list.isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading the agent ledger" />
        </div>
      )}
      {list.error !== undefined && (
        <Alert
          title="Could not load the agent ledger"
          action={
            <Button size="sm" onClick={() => list.refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(list.error)}
        </Alert>
      )}
      {list.currentData && runs.length === 0 && (
        <EmptyState
          testId="ledger-empty"
          title={isFiltered ? "No runs match these filters" : "No agent runs in this range"}
          description={
            isFiltered
              ? "Try a wider date range, another client or any tool."
              : "When an MCP client or the assistant runs a tool in this workspace, the run is recorded here."
          }
        />
      )}
      {runs.length > 0 && (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="ledger-list">
            <caption className="ui-visually-hidden">Agent runs, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Client</th>
                <th scope="col">Person</th>
                <th scope="col">Tool</th>
                <th scope="col">Outcome</th>
                <th scope="col">Input</th>
                <th scope="col">Sources read</th>
                <th scope="col">Changes</th>
                <th scope="col" className={styles.number}>
                  Duration
                </th>
              </tr>
            </thead>
            <tbody>
              {runs.map((run) => (
                <LedgerRow key={run.id} run={run} orgSlug={orgSlug} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage && (
        <div className="list-footer">
          <Button
            onClick={() => list.fetchNextPage()}
            isLoading={list.isFetchingNextPage}
            data-testid="ledger-load-more"
          >
            Load more
          </Button>
        </div>
      )}
    </>
  );
}

/** The detail page of a run. */
export function executionHref(orgSlug: string, executionId: string): string {
  return `/${encodeURIComponent(orgSlug)}/ai-activity/ledger/${encodeURIComponent(executionId)}`;
}

function LedgerRow({ run, orgSlug }: { run: AgentExecutionSummaryDto; orgSlug: string }) {
  return (
    <tr data-testid="ledger-row" data-execution-id={run.id}>
      <td className={styles.time}>
        <Link href={executionHref(orgSlug, run.id)} className={styles.rowLink} data-testid="ledger-open">
          <time dateTime={run.createdAt}>{formatDateTime(run.createdAt)}</time>
          <span className="ui-visually-hidden">: open the run of {run.tool ?? "a tool"}</span>
        </Link>
      </td>
      <td>
        {run.agent}
        {run.apiToken && <div className={styles.muted}>token {run.apiToken.name ?? "(deleted)"}</div>}
      </td>
      <td>
        {run.user ? (run.user.name ?? run.user.email ?? "Deleted user") : <span className={styles.muted}>—</span>}
      </td>
      <td className={styles.code}>{run.tool ?? "—"}</td>
      <td>
        <Badge tone={OUTCOME_TONES[run.status]}>{OUTCOME_LABELS[run.status]}</Badge>
      </td>
      <td>
        <code className={styles.inputPreview}>{run.inputPreview}</code>
      </td>
      <td>
        <SourceLinks orgSlug={orgSlug} sources={run.sources} hiddenCount={run.hiddenSourceCount} most={3} />
      </td>
      <td>
        {run.diffStats ? (
          <span>
            <span className={styles.added}>+{run.diffStats.added}</span>{" "}
            <span className={styles.removed}>−{run.diffStats.removed}</span>
          </span>
        ) : (
          <span className={styles.muted}>none</span>
        )}
      </td>
      <td className={styles.number}>{formatDuration(run.durationMs)}</td>
    </tr>
  );
}
