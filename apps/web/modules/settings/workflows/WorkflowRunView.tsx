"use client";

import type { MyOrganizationDto, WorkflowRunDto, WorkflowStepRunDto } from "@devflow/contracts";
import {
  errorMessage,
  isApiError,
  useGetWorkflowRunQuery,
  useRetryWorkflowRunMutation,
} from "@devflow/web-data-access";
import { Alert, Badge, Button, ConfirmDialog, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { useState } from "react";
import { formatDateTime } from "../../common/format";
import {
  attemptsLabel,
  canRetry,
  durationLabel,
  isActive,
  prettyJson,
  retryMessage,
  RUN_STATUS_LABELS,
  RUN_STATUS_TONES,
} from "./workflow-format";
import styles from "./workflows.module.css";

/** While the run is queued or running, it refreshes this often. */
const POLL_MS = 3_000;

/** One workflow run in full: its facts, its input and output, and each step's attempts, timings and errors. */
export function WorkflowRunView({ organization, runId }: { organization: MyOrganizationDto; runId: string }) {
  const [pollingInterval, setPollingInterval] = useState(POLL_MS);
  const {
    currentData: run,
    error,
    isFetching,
    refetch,
  } = useGetWorkflowRunQuery({ organizationId: organization.id, runId }, { pollingInterval });
  const nextInterval = !run || isActive(run.status) ? POLL_MS : 0;
  if (nextInterval !== pollingInterval) setPollingInterval(nextInterval);

  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className={styles.breadcrumb}>
        <Link href={`/${organization.slug}/settings/workflows`} data-testid="workflow-run-back">
          ← Workflows
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
            testId="workflow-run-not-found"
            title="This run is not here"
            description="It does not exist, or it belongs to another organization."
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
      {run && <RunDetail run={run} organizationId={organization.id} />}
    </div>
  );
}

function RunDetail({ run, organizationId }: { run: WorkflowRunDto; organizationId: string }) {
  return (
    <article data-testid="workflow-run-detail">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">
            <span className={styles.code}>{run.workflow}</span>
          </h1>
          <p className="page-subtitle">
            <span className={styles.code}>{run.triggerKey}</span>
          </p>
        </div>
        <div className="page-actions">
          <Badge tone={RUN_STATUS_TONES[run.status]} testId="workflow-run-status">
            {RUN_STATUS_LABELS[run.status]}
          </Badge>
          {canRetry(run.status) && <RetryButton run={run} organizationId={organizationId} />}
        </div>
      </header>

      {run.error && (
        <Alert title="The run failed">
          <span className={styles.code}>{run.error}</span>
        </Alert>
      )}

      <dl className={`panel ${styles.facts}`}>
        <dt>Run</dt>
        <dd className={styles.code}>{run.id}</dd>
        <dt>Created</dt>
        <dd>{formatDateTime(run.createdAt)}</dd>
        <dt>Started</dt>
        <dd>{run.startedAt ? formatDateTime(run.startedAt) : "Not yet"}</dd>
        <dt>Finished</dt>
        <dd>{run.finishedAt ? formatDateTime(run.finishedAt) : "—"}</dd>
        <dt>Duration</dt>
        <dd>{durationLabel(run)}</dd>
        <dt>Steps</dt>
        <dd>
          {run.succeededStepCount} of {run.stepCount} succeeded
        </dd>
      </dl>

      <section className={styles.section} aria-labelledby="workflow-run-input">
        <h2 id="workflow-run-input" className={styles.sectionTitle}>
          Input
        </h2>
        <JsonDetails label="Show the run's input" value={run.input} testId="workflow-run-input" />
      </section>

      <section className={styles.section} aria-labelledby="workflow-run-steps">
        <h2 id="workflow-run-steps" className={styles.sectionTitle}>
          Steps
        </h2>
        <ol className={styles.steps} data-testid="workflow-steps">
          {run.steps.map((step) => (
            <StepItem key={step.name} step={step} />
          ))}
        </ol>
      </section>

      <section className={styles.section} aria-labelledby="workflow-run-output">
        <h2 id="workflow-run-output" className={styles.sectionTitle}>
          Output
        </h2>
        {run.output === null ? (
          <p className={styles.muted}>{run.status === "succeeded" ? "The run returned nothing." : "No output yet."}</p>
        ) : (
          <JsonDetails label="Show the run's output" value={run.output} testId="workflow-run-output" />
        )}
      </section>
    </article>
  );
}

function StepItem({ step }: { step: WorkflowStepRunDto }) {
  const hasRun = step.attempts > 0;
  return (
    <li className={`panel ${styles.step}`} data-testid="workflow-step" data-step={step.name}>
      <div className={styles.stepHeader}>
        <span className={styles.stepNumber}>{step.position + 1}.</span>
        <span className={styles.stepName}>{step.name}</span>
        <Badge tone={RUN_STATUS_TONES[step.status]} testId="workflow-step-status">
          {RUN_STATUS_LABELS[step.status]}
        </Badge>
      </div>
      {hasRun && (
        <div className={styles.stepMeta}>
          <span>{attemptsLabel(step.attempts)}</span>
          <span>{durationLabel(step)}</span>
          {step.startedAt && <span>Started {formatDateTime(step.startedAt)}</span>}
          {step.finishedAt && <span>Finished {formatDateTime(step.finishedAt)}</span>}
          {step.nextAttemptAt && <span>Next attempt {formatDateTime(step.nextAttemptAt)}</span>}
        </div>
      )}
      {step.error && (
        <div className={styles.errorText} data-testid="workflow-step-error">
          {step.status === "succeeded" ? "An earlier attempt failed: " : "Error: "}
          <span className={styles.code}>{step.error}</span>
        </div>
      )}
      {step.input !== null && <JsonDetails label="Input" value={step.input} testId="workflow-step-input" />}
      {step.output !== null && <JsonDetails label="Output" value={step.output} testId="workflow-step-output" />}
    </li>
  );
}

/** A JSON value, pretty-printed, folded until asked for: outputs can be long. */
function JsonDetails({ label, value, testId }: { label: string; value: unknown; testId: string }) {
  return (
    <details className={styles.json} data-testid={testId}>
      <summary>{label}</summary>
      <pre className={styles.codeBlock} tabIndex={0}>
        {prettyJson(value)}
      </pre>
    </details>
  );
}

function RetryButton({ run, organizationId }: { run: WorkflowRunDto; organizationId: string }) {
  const [isConfirming, setIsConfirming] = useState(false);
  const [retry, { isLoading, error, reset }] = useRetryWorkflowRunMutation();

  async function confirm() {
    const result = await retry({ organizationId, runId: run.id });
    if (!("error" in result)) setIsConfirming(false);
  }

  return (
    <>
      <Button variant="primary" onClick={() => (reset(), setIsConfirming(true))} data-testid="workflow-run-retry">
        Retry
      </Button>
      <ConfirmDialog
        isOpen={isConfirming}
        title="Retry this run?"
        message={retryMessage(run)}
        confirmLabel="Retry run"
        isBusy={isLoading}
        error={error ? errorMessage(error) : null}
        onConfirm={() => void confirm()}
        onCancel={() => setIsConfirming(false)}
      />
    </>
  );
}
