"use client";

import { DORA_RULE_DESCRIPTIONS, type DoraMetricsDto } from "@devflow/contracts";
import { Badge, type BadgeTone } from "@devflow/web-ui";
import { useState } from "react";
import { formatDateTime } from "../common/format";
import { formatSpan, shortSha } from "./delivery-format";
import { IncidentAttributionControl } from "./IncidentAttributionControl";
import {
  AI_ASSISTANCE,
  DEPLOYMENT_RULES,
  FAILURE_RULES,
  INCIDENT_RULES,
  LEAD_TIME_MATCHES,
  PULL_REQUEST_RULES,
} from "./labels";
import styles from "./delivery.module.css";

type Tab = "deployments" | "pullRequests" | "incidents";

/**
 * Every row behind the numbers, per metric: each deployment, merged pull request and incident the
 * window involves, counted or excluded, with the rule that decided (its explanation on hover).
 */
export function DrillDown({
  report,
  organizationId,
  canAttribute,
}: {
  report: DoraMetricsDto;
  organizationId: string;
  /** Admins and owners may correct an incident's attribution. */
  canAttribute: boolean;
}) {
  const [tab, setTab] = useState<Tab>("deployments");
  const tabs: { value: Tab; label: string; count: number }[] = [
    { value: "deployments", label: "Deployments", count: report.deployments.length },
    { value: "pullRequests", label: "Pull requests", count: report.pullRequests.length },
    { value: "incidents", label: "Incidents", count: report.incidents.length },
  ];
  return (
    <section className={`panel ${styles.section}`} aria-labelledby="dora-drill-down" data-testid="dora-drill-down">
      <div className={styles.sectionHeader}>
        <h2 id="dora-drill-down" className={styles.sectionTitle}>
          What was counted
        </h2>
        <div className={styles.segmented} role="group" aria-label="Rows to show">
          {tabs.map((t) => (
            <button
              key={t.value}
              type="button"
              className={styles.segment}
              aria-pressed={tab === t.value}
              onClick={() => setTab(t.value)}
              data-testid={`dora-rows-${t.value}`}
            >
              {t.label} ({t.count})
            </button>
          ))}
        </div>
      </div>
      <div className={styles.tableWrap}>
        {tab === "deployments" && <DeploymentsTable report={report} />}
        {tab === "pullRequests" && <PullRequestsTable report={report} />}
        {tab === "incidents" && (
          <IncidentsTable report={report} organizationId={organizationId} canAttribute={canAttribute} />
        )}
      </div>
    </section>
  );
}

function RuleBadge({
  rule,
  label,
  tone,
}: {
  rule: keyof typeof DORA_RULE_DESCRIPTIONS;
  label: string;
  tone: BadgeTone;
}) {
  return (
    <span title={DORA_RULE_DESCRIPTIONS[rule]} data-rule={rule}>
      <Badge tone={tone}>{label}</Badge>
    </span>
  );
}

function Empty({ columns, children }: { columns: number; children: string }) {
  return (
    <tr>
      <td colSpan={columns} className={styles.muted}>
        {children}
      </td>
    </tr>
  );
}

function DeploymentsTable({ report }: { report: DoraMetricsDto }) {
  return (
    <table className={styles.table} data-testid="dora-deployments">
      <caption className="ui-visually-hidden">Deployments in the window, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Finished</th>
          <th scope="col">Repository · commit</th>
          <th scope="col">Environment</th>
          <th scope="col">Status</th>
          <th scope="col">Rule</th>
          <th scope="col">Failure</th>
          <th scope="col" className={styles.number}>
            Pull requests
          </th>
          <th scope="col">AI</th>
        </tr>
      </thead>
      <tbody>
        {report.deployments.length === 0 && <Empty columns={8}>No deployments in this window.</Empty>}
        {report.deployments.map((d) => (
          <tr key={d.id} data-testid="dora-deployment-row" data-deployment-id={d.id}>
            <td className={styles.time}>
              {d.finishedAt ? formatDateTime(d.finishedAt) : `created ${formatDateTime(d.createdAt)}`}
            </td>
            <td>
              {d.repository} <span className={styles.code}>{shortSha(d.sha)}</span>
              {d.ref && <div className={`${styles.code} ${styles.muted}`}>{d.ref}</div>}
            </td>
            <td>{d.environment}</td>
            <td className={styles.code}>{d.status}</td>
            <td>
              <RuleBadge rule={d.rule} {...DEPLOYMENT_RULES[d.rule]} />
            </td>
            <td>
              {d.failure ? (
                <div className={styles.badges}>
                  {d.failure.rules.map((rule) => (
                    <RuleBadge key={rule} rule={rule} label={FAILURE_RULES[rule]} tone="red" />
                  ))}
                </div>
              ) : (
                <span className={styles.muted}>—</span>
              )}
            </td>
            <td className={styles.number}>{d.pullRequestIds.length}</td>
            <td>
              <Badge tone={AI_ASSISTANCE[d.aiAssistance].tone}>{AI_ASSISTANCE[d.aiAssistance].label}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PullRequestsTable({ report }: { report: DoraMetricsDto }) {
  return (
    <table className={styles.table} data-testid="dora-pull-requests">
      <caption className="ui-visually-hidden">Merged pull requests, newest merge first</caption>
      <thead>
        <tr>
          <th scope="col">Pull request</th>
          <th scope="col">Merged</th>
          <th scope="col">Rule</th>
          <th scope="col">Matched by</th>
          <th scope="col" className={styles.number}>
            Lead time
          </th>
          <th scope="col" className={styles.number}>
            Coding · pickup · review · deploy
          </th>
          <th scope="col">AI</th>
        </tr>
      </thead>
      <tbody>
        {report.pullRequests.length === 0 && <Empty columns={7}>No merged pull requests in this window.</Empty>}
        {report.pullRequests.map((pr) => (
          <tr key={pr.id} data-testid="dora-pull-request-row" data-pull-request-id={pr.id}>
            <td>
              {pr.url ? (
                <a href={pr.url} className={styles.link} target="_blank" rel="noreferrer">
                  #{pr.number} {pr.title}
                </a>
              ) : (
                `#${pr.number} ${pr.title}`
              )}
              <div className={styles.muted}>
                {pr.repository}
                {pr.authorLogin && ` · ${pr.authorLogin}`}
              </div>
            </td>
            <td className={styles.time}>{formatDateTime(pr.mergedAt)}</td>
            <td>
              <RuleBadge rule={pr.rule} {...PULL_REQUEST_RULES[pr.rule]} />
            </td>
            <td>
              {pr.match ? (
                <span title={DORA_RULE_DESCRIPTIONS[pr.match]}>{LEAD_TIME_MATCHES[pr.match]}</span>
              ) : (
                <span className={styles.muted}>—</span>
              )}
            </td>
            <td
              className={styles.number}
              title={
                pr.startedFrom === "opened" ? "From opening: no first commit time is known" : "From the first commit"
              }
            >
              {formatSpan(pr.leadTimeMs)}
            </td>
            <td className={styles.number}>
              {[pr.stages.codingMs, pr.stages.pickupMs, pr.stages.reviewMs, pr.stages.deployMs]
                .map(formatSpan)
                .join(" · ")}
            </td>
            <td>
              <span title={pr.aiAssistance.signal ?? DORA_RULE_DESCRIPTIONS[pr.aiAssistance.kind]}>
                <Badge tone={AI_ASSISTANCE[pr.aiAssistance.kind].tone}>
                  {AI_ASSISTANCE[pr.aiAssistance.kind].label}
                </Badge>
              </span>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function IncidentsTable({
  report,
  organizationId,
  canAttribute,
}: {
  report: DoraMetricsDto;
  organizationId: string;
  canAttribute: boolean;
}) {
  const deployments = new Map(report.deployments.map((d) => [d.id, d]));
  const attributable = report.deployments.filter((d) => d.rule === "succeeded" || d.rule === "failed");
  return (
    <table className={styles.table} data-testid="dora-incidents">
      <caption className="ui-visually-hidden">Incidents, newest first</caption>
      <thead>
        <tr>
          <th scope="col">Incident</th>
          <th scope="col">Opened</th>
          <th scope="col" className={styles.number}>
            Time to restore
          </th>
          <th scope="col">Rule</th>
          <th scope="col">Attributed to</th>
        </tr>
      </thead>
      <tbody>
        {report.incidents.length === 0 && <Empty columns={5}>No incidents in this window.</Empty>}
        {report.incidents.map((incident) => {
          const deployment = incident.deploymentId ? deployments.get(incident.deploymentId) : undefined;
          return (
            <tr key={incident.id} data-testid="dora-incident-row" data-incident-id={incident.id}>
              <td>
                {incident.title}
                <div className={styles.muted}>severity {incident.severity}</div>
              </td>
              <td className={styles.time}>{formatDateTime(incident.openedAt)}</td>
              <td className={styles.number}>{incident.resolvedAt ? formatSpan(incident.restoreMs) : "open"}</td>
              <td>
                <RuleBadge rule={incident.rule} {...INCIDENT_RULES[incident.rule]} />
              </td>
              <td>
                {canAttribute ? (
                  <IncidentAttributionControl
                    organizationId={organizationId}
                    incident={incident}
                    deployments={attributable}
                  />
                ) : incident.deploymentId === null ? (
                  <span className={styles.muted}>None</span>
                ) : deployment ? (
                  <>
                    {deployment.repository} <span className={styles.code}>{shortSha(deployment.sha)}</span>
                  </>
                ) : (
                  <span className={styles.muted}>A deployment outside this window</span>
                )}
                {incident.attribution === "manual" && <div className={styles.muted}>set by an admin</div>}
                {incident.countsAsFailure && <div className={styles.muted}>counts as a failure</div>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
