"use client";

import type { AiActivityDto, AiActivitySummaryDto } from "@devflow/contracts";
import { errorMessage, useListAiActivityInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Badge, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import { formatDateTime } from "../common/format";
import { ActivityTotals } from "./ActivityTotals";
import { DailyChart } from "./DailyChart";
import type { AiActivityFilterArgs } from "@devflow/web-data-access";
import { formatCost, formatCount, formatDuration, formatExactCount } from "./activity-format";
import { STATUS_LABELS, STATUS_TONES, SURFACE_LABELS } from "./labels";
import styles from "./ai-activity.module.css";

export interface CallsPanelProps {
  organizationId: string;
  args: AiActivityFilterArgs;
  summary: { data: AiActivitySummaryDto | undefined; error: unknown; isFetching: boolean; refetch: () => void };
  isFiltered: boolean;
}

/** The calls tab: chart and totals from the summary, then the calls themselves, newest first. */
export function CallsPanel({ organizationId, args, summary, isFiltered }: CallsPanelProps) {
  const list = useListAiActivityInfiniteQuery({ organizationId, ...args });
  const calls = list.currentData?.pages.flatMap((page) => page.items) ?? [];

  return (
    <>
      {summary.error !== undefined && (
        <Alert
          title="Could not load the summary"
          action={
            <Button size="sm" onClick={summary.refetch}>
              Try again
            </Button>
          }
        >
          {errorMessage(summary.error)}
        </Alert>
      )}
      {!summary.data && summary.isFetching && (
        <div className="panel">
          <SkeletonList rows={4} label="Loading the summary" />
        </div>
      )}
      {summary.data && (
        <>
          <ActivityTotals summary={summary.data} />
          <DailyChart days={summary.data.days} />
        </>
      )}

      <h2 className={styles.sectionTitle}>Calls</h2>
      {!list.currentData && list.isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading AI calls" />
        </div>
      )}
      {list.error !== undefined && (
        <Alert
          title="Could not load AI calls"
          action={
            <Button size="sm" onClick={() => list.refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(list.error)}
        </Alert>
      )}
      {list.currentData && calls.length === 0 && (
        <EmptyState
          testId="calls-empty"
          title={isFiltered ? "No calls match these filters" : "No AI calls in this range"}
          description={
            isFiltered
              ? "Try a wider date range, another project or any model."
              : "Calls from the assistant, MCP clients, search and background jobs show up here as they happen."
          }
        />
      )}
      {calls.length > 0 && (
        <div className={`panel ${styles.tableWrap}`}>
          <table className={styles.table} data-testid="calls-list">
            <caption className="ui-visually-hidden">AI calls, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Person</th>
                <th scope="col">Surface · tool</th>
                <th scope="col">Model</th>
                <th scope="col">Project</th>
                <th scope="col" className={styles.number}>
                  Tokens in / out
                </th>
                <th scope="col" className={styles.number}>
                  Latency
                </th>
                <th scope="col" className={styles.number}>
                  Cost
                </th>
                <th scope="col">Status</th>
              </tr>
            </thead>
            <tbody>
              {calls.map((call) => (
                <CallRow key={call.id} call={call} />
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
            data-testid="calls-load-more"
          >
            Load more
          </Button>
        </div>
      )}
    </>
  );
}

function CallRow({ call }: { call: AiActivityDto }) {
  return (
    <tr data-testid="call-row" data-call-id={call.id}>
      <td className={styles.time}>
        <time dateTime={call.createdAt}>{formatDateTime(call.createdAt)}</time>
      </td>
      <td>
        {call.user ? (
          (call.user.name ?? call.user.email ?? "Deleted user")
        ) : (
          <span className={styles.muted}>DevFlow</span>
        )}
      </td>
      <td>
        {SURFACE_LABELS[call.surface]}
        {call.tool && <div className={`${styles.code} ${styles.muted}`}>{call.tool}</div>}
      </td>
      <td>
        <span className={styles.code}>{call.model}</span>
        <div className={styles.muted}>{call.provider}</div>
      </td>
      <td>
        {call.project ? (
          (call.project.name ?? <span className={styles.muted}>Deleted project</span>)
        ) : (
          <span className={styles.muted}>—</span>
        )}
      </td>
      <td
        className={styles.number}
        title={`${formatExactCount(call.inputTokens)} in, ${formatExactCount(call.outputTokens)} out`}
      >
        {formatCount(call.inputTokens)} / {formatCount(call.outputTokens)}
      </td>
      <td className={styles.number}>{formatDuration(call.latencyMs)}</td>
      <td className={styles.number}>{formatCost(call.costUsd)}</td>
      <td>
        <Badge tone={STATUS_TONES[call.status] ?? "neutral"}>
          {STATUS_LABELS[call.status as keyof typeof STATUS_LABELS] ?? call.status}
        </Badge>
        {call.errorCode && <div className={`${styles.code} ${styles.muted}`}>{call.errorCode}</div>}
      </td>
    </tr>
  );
}
