"use client";

import type { ConnectedWebhookDto, FailedJobDto, IntegrationDto, MyOrganizationDto } from "@devflow/contracts";
import { Alert, Badge, Button, ConfirmDialog, Dialog, EmptyState } from "@devflow/web-ui";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { formatDateTime, timeAgo } from "../../common/format";
import { orgRequest } from "../../common/org-request";
import { CopyableValue } from "../provisioning/CopyableValue";
import provisioning from "../provisioning/provisioning.module.css";
import styles from "../tokens/tokens.module.css";
import { ApiCredentialsSection } from "./ApiCredentialsSection";
import { RepositoriesSection } from "./RepositoriesSection";
import { SlackSection } from "./SlackSection";

export interface IntegrationsViewProps {
  organization: MyOrganizationDto;
  /** Loaded by the page on the server; refreshed with router.refresh() after a change. */
  integrations: IntegrationDto[];
  failedJobs: FailedJobDto[];
}

const PROVIDER_LABELS: Record<IntegrationDto["provider"], string> = {
  github: "GitHub",
  slack: "Slack",
  jira: "Jira",
  linear: "Linear",
};

/** What a failed job was doing, in words, by its handler's name. */
const HANDLER_LABELS: Record<string, string> = {
  "webhook-deliveries": "Processing a webhook delivery",
  "file-processor": "Processing an uploaded file",
  "slack-doc-created": "Posting a new doc to Slack",
  "slack-doc-archived": "Posting an archived doc to Slack",
};

export function IntegrationsView({ organization, integrations, failedJobs }: IntegrationsViewProps) {
  const router = useRouter();
  const [connected, setConnected] = useState<ConnectedWebhookDto | null>(null);
  const [isConnecting, setIsConnecting] = useState(false);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [disconnecting, setDisconnecting] = useState<IntegrationDto | null>(null);
  const [disconnectError, setDisconnectError] = useState<string | null>(null);
  const [isDisconnecting, setIsDisconnecting] = useState(false);

  async function disconnect(integration: IntegrationDto) {
    setIsDisconnecting(true);
    const result = await orgRequest(organization.id, "DELETE", `/api/v1/integrations/${integration.id}`, {
      fallback: "Could not disconnect the integration",
    });
    setIsDisconnecting(false);
    if (!result.ok) {
      setDisconnectError(result.message);
      return;
    }
    setDisconnecting(null);
    setDisconnectError(null);
    router.refresh();
  }

  async function connectGithub() {
    setIsConnecting(true);
    setError(null);
    const result = await orgRequest(organization.id, "POST", "/api/v1/integrations/github", {
      fallback: "Could not connect GitHub",
    });
    if (result.ok) setConnected((await result.response.json()) as ConnectedWebhookDto);
    else setError(result.message);
    setIsConnecting(false);
  }

  /** The secret leaves the page with the dialog; the list then shows the new integration. */
  function closeReveal() {
    setConnected(null);
    router.refresh();
  }

  async function retry(job: FailedJobDto) {
    setRetrying(job.eventId);
    setError(null);
    const result = await orgRequest(organization.id, "POST", "/api/v1/failed-jobs/retry", {
      body: { handler: job.handler, eventId: job.eventId },
      fallback: "Could not retry the job",
    });
    if (result.ok) router.refresh();
    else setError(result.message);
    setRetrying(null);
  }

  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Integrations</h1>
          <p className="page-subtitle">
            Tools that send {organization.name} their activity, and the background jobs that process it.
          </p>
        </div>
      </header>

      {error && <Alert>{error}</Alert>}

      <section className={provisioning.section} aria-labelledby="github-heading">
        <div className={provisioning.sectionHeader}>
          <div>
            <h2 className={provisioning.sectionTitle} id="github-heading">
              GitHub
            </h2>
            <p className={provisioning.sectionLead}>
              A webhook on a repository or a GitHub organization sends pull requests, pushes and deployments here. Each
              webhook has its own address and secret.
            </p>
          </div>
          <Button variant="primary" onClick={connectGithub} isLoading={isConnecting} data-testid="connect-github">
            Connect a GitHub webhook
          </Button>
        </div>
        {integrations.length === 0 ? (
          <EmptyState
            testId="integrations-empty"
            title="Nothing connected yet"
            description="Connect a GitHub webhook to link pull requests and deployments to your design docs."
          />
        ) : (
          <div className={`panel ${styles.tableWrap}`}>
            <table className={styles.table} data-testid="integration-list">
              <caption className="ui-visually-hidden">Connected integrations</caption>
              <thead>
                <tr>
                  <th scope="col">Integration</th>
                  <th scope="col">Status</th>
                  <th scope="col">Deliveries (24 h)</th>
                  <th scope="col">Last delivery</th>
                  <th scope="col">Connected</th>
                  <th scope="col">
                    <span className="ui-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {integrations.map((integration) => (
                  <tr key={integration.id} data-testid="integration-row" data-integration-id={integration.id}>
                    <td>
                      <div className={styles.name}>
                        {PROVIDER_LABELS[integration.provider]} {integration.kind}
                        {integration.notifyChannel && ` · doc changes to ${integration.notifyChannel}`}
                      </div>
                      <div className={styles.muted}>{integration.id}</div>
                    </td>
                    <td>
                      <Badge tone={integration.enabled ? "green" : "neutral"}>
                        {integration.enabled ? "Enabled" : "Disabled"}
                      </Badge>
                    </td>
                    <td>{integration.deliveriesLastDay}</td>
                    <td className={styles.muted}>
                      {integration.lastDeliveryAt ? (
                        <span title={formatDateTime(integration.lastDeliveryAt)}>
                          {timeAgo(integration.lastDeliveryAt)}
                        </span>
                      ) : (
                        "None yet"
                      )}
                    </td>
                    <td className={styles.muted} title={formatDateTime(integration.createdAt)}>
                      {timeAgo(integration.createdAt)}
                    </td>
                    <td>
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setDisconnecting(integration)}
                        aria-label={`Disconnect ${PROVIDER_LABELS[integration.provider]} ${integration.kind}`}
                      >
                        Disconnect
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <RepositoriesSection organizationId={organization.id} />

      <SlackSection organizationId={organization.id} />

      <ApiCredentialsSection organizationId={organization.id} />

      <section className={provisioning.section} aria-labelledby="failed-jobs-heading">
        <div>
          <h2 className={provisioning.sectionTitle} id="failed-jobs-heading">
            Failed jobs
          </h2>
          <p className={provisioning.sectionLead}>
            Work that failed on every retry. Fix the cause (a revoked token, a service that was down), then retry it.
          </p>
        </div>
        {failedJobs.length === 0 ? (
          <EmptyState
            testId="failed-jobs-empty"
            title="No failed jobs"
            description="Everything sent here has been processed."
          />
        ) : (
          <div className={`panel ${styles.tableWrap}`}>
            <table className={styles.table} data-testid="failed-job-list">
              <caption className="ui-visually-hidden">Failed jobs</caption>
              <thead>
                <tr>
                  <th scope="col">Job</th>
                  <th scope="col">Error</th>
                  <th scope="col">Attempts</th>
                  <th scope="col">Failed</th>
                  <th scope="col">
                    <span className="ui-visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {failedJobs.map((job) => (
                  <tr key={`${job.handler}/${job.eventId}`} data-testid="failed-job-row" data-event-id={job.eventId}>
                    <td>
                      <div className={styles.name}>{HANDLER_LABELS[job.handler] ?? job.handler}</div>
                      <div className={styles.muted}>
                        {job.eventType} · {job.eventId}
                      </div>
                    </td>
                    <td>{job.error ?? "No message"}</td>
                    <td>{job.attempts}</td>
                    <td className={styles.muted} title={formatDateTime(job.failedAt)}>
                      {timeAgo(job.failedAt)}
                    </td>
                    <td className={styles.actions}>
                      <Button
                        size="sm"
                        onClick={() => retry(job)}
                        isLoading={retrying === job.eventId}
                        aria-label={`Retry ${job.eventType} ${job.eventId}`}
                        data-testid="retry-failed-job"
                      >
                        Retry
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <Dialog
        isOpen={connected !== null}
        title="Add this webhook in GitHub"
        onClose={closeReveal}
        testId="github-webhook-dialog"
      >
        {connected && (
          <div className={provisioning.reveal} data-testid="github-webhook-reveal">
            <Alert tone="info" title="You won't see this secret again">
              In GitHub, open the repository's or organization's Settings → Webhooks → Add webhook. Paste the payload
              URL and the secret, choose content type application/json, and pick the events to send.
            </Alert>
            <CopyableValue
              value={connected.url}
              label="Payload URL"
              copyLabel="Copy payload URL"
              testId="github-webhook-url"
            />
            <CopyableValue
              value={connected.secret}
              label="Secret"
              copyLabel="Copy secret"
              isSecret
              variant="primary"
              testId="github-webhook-secret"
            />
            <div className="ui-dialog__footer">
              <Button onClick={closeReveal} data-testid="github-webhook-done">
                Done
              </Button>
            </div>
          </div>
        )}
      </Dialog>

      <ConfirmDialog
        isOpen={disconnecting !== null}
        title={`Disconnect ${disconnecting ? `${PROVIDER_LABELS[disconnecting.provider]} ${disconnecting.kind}` : ""}?`}
        message="Its secret is deleted: a webhook stops being accepted and nothing acts with its token again. Deliveries already received are kept."
        confirmLabel="Disconnect"
        isDestructive
        isBusy={isDisconnecting}
        error={disconnectError}
        onConfirm={() => disconnecting && void disconnect(disconnecting)}
        onCancel={() => {
          setDisconnecting(null);
          setDisconnectError(null);
        }}
      />
    </div>
  );
}

/** What members and viewers see instead of the integrations page. */
export function IntegrationsAdminsOnly({ organizationName }: { organizationName: string }) {
  return (
    <div className="page">
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Integrations</h1>
        </div>
      </header>
      <EmptyState
        testId="integrations-admins-only"
        title="Only admins can manage integrations"
        description={`Ask an admin or owner of ${organizationName} to connect GitHub or another tool.`}
      />
    </div>
  );
}
