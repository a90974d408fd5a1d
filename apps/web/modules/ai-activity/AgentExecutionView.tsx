"use client";

import type { MyOrganizationDto } from "@devflow/contracts";
import { errorMessage, isApiError, useGetAgentExecutionQuery } from "@devflow/web-data-access";
import { Alert, Badge, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { formatDateTime } from "../common/format";
import { formatDuration } from "./activity-format";
import { DiffBlock, JsonBlock } from "./CodeBlocks";
import { OUTCOME_LABELS, OUTCOME_TONES } from "./labels";
import { SourceLinks } from "./SourceLinks";
import styles from "./ai-activity.module.css";

/** One agent run in full: who and what ran, its input, the passages it read, its diff and output. */
export function AgentExecutionView({
  organization,
  executionId,
}: {
  organization: MyOrganizationDto;
  executionId: string;
}) {
  const {
    currentData: run,
    error,
    isFetching,
    refetch,
  } = useGetAgentExecutionQuery({
    organizationId: organization.id,
    executionId,
  });
  const back = `/${organization.slug}/ai-activity?tab=ledger`;

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href={back} data-testid="execution-back">
          ← Agent ledger
        </Link>
      </nav>
      {!run && isFetching && (
        <div className="panel">
          <SkeletonList rows={6} label="Loading the run" />
        </div>
      )}
      {error !== undefined &&
        (isApiError(error) && error.code === "not_found" ? (
          <EmptyState
            testId="execution-not-found"
            title="This run is not here"
            description="It does not exist, or it belongs to a project you cannot see."
          />
        ) : (
          <Alert
            title="Could not load the run"
            action={
              <Button size="sm" onClick={() => refetch()}>
                Try again
              </Button>
            }
          >
            {errorMessage(error)}
          </Alert>
        ))}
      {run && (
        <article data-testid="execution-detail">
          <header className="page-header">
            <div className="page-header__text">
              <h1 className="page-title">
                <span className={styles.code}>{run.tool ?? "Tool run"}</span> by {run.agent}
              </h1>
              <p className="page-subtitle">
                {run.startedAt ? (
                  <time dateTime={run.startedAt}>{formatDateTime(run.startedAt)}</time>
                ) : (
                  "Start unknown"
                )}
                {" · "}
                {formatDuration(run.durationMs)}
              </p>
            </div>
            <div className="page-actions">
              <Badge tone={OUTCOME_TONES[run.status]} testId="execution-outcome">
                {OUTCOME_LABELS[run.status]}
              </Badge>
            </div>
          </header>

          {run.error && (
            <Alert title="The tool failed">
              <span className={styles.code}>{run.error}</span>
            </Alert>
          )}

          <dl className={`panel ${styles.facts}`}>
            <dt>Client</dt>
            <dd>{run.agent}</dd>
            <dt>Person</dt>
            <dd>{run.user ? (run.user.name ?? run.user.email ?? "Deleted user") : "—"}</dd>
            <dt>API token</dt>
            <dd>{run.apiToken ? (run.apiToken.name ?? "Deleted token") : "Signed-in session"}</dd>
            <dt>Project</dt>
            <dd>
              {run.project ? (
                <Link href={`/${organization.slug}/projects/${run.project.id}`}>
                  {run.project.name ?? "Deleted project"}
                </Link>
              ) : (
                "—"
              )}
            </dd>
            <dt>Started</dt>
            <dd>{run.startedAt ? formatDateTime(run.startedAt) : "—"}</dd>
            <dt>Finished</dt>
            <dd>{run.finishedAt ? formatDateTime(run.finishedAt) : "—"}</dd>
          </dl>

          <section className={styles.section} aria-labelledby="execution-input">
            <h2 id="execution-input" className={styles.sectionTitle}>
              Input
            </h2>
            <JsonBlock value={run.input} label="The tool's input" testId="execution-input" />
          </section>

          <section className={styles.section} aria-labelledby="execution-sources">
            <h2 id="execution-sources" className={styles.sectionTitle}>
              Sources read
            </h2>
            <div className={`panel ${styles.sourcesPanel}`} data-testid="execution-sources">
              <SourceLinks orgSlug={organization.slug} sources={run.sources} hiddenCount={run.hiddenSourceCount} />
            </div>
          </section>

          <section className={styles.section} aria-labelledby="execution-changes">
            <h2 id="execution-changes" className={styles.sectionTitle}>
              Changes
              {run.diffStats && (
                <span className={styles.diffSummary}>
                  <span className={styles.added}>+{run.diffStats.added}</span>{" "}
                  <span className={styles.removed}>−{run.diffStats.removed}</span>
                </span>
              )}
            </h2>
            {run.diff ? <DiffBlock diff={run.diff} /> : <p className={styles.muted}>The tool changed nothing.</p>}
          </section>

          <section className={styles.section} aria-labelledby="execution-output">
            <h2 id="execution-output" className={styles.sectionTitle}>
              Output
            </h2>
            {run.output === null ? (
              <p className={styles.muted}>No output recorded.</p>
            ) : (
              <JsonBlock value={run.output} label="The tool's output" testId="execution-output" />
            )}
          </section>
        </article>
      )}
    </div>
  );
}
