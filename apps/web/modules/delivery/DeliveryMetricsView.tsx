"use client";

import { DORA_WINDOW_DAYS_OPTIONS, type MyOrganizationDto, type ProjectDto } from "@devflow/contracts";
import { errorMessage, useGetDoraMetricsQuery, useListRepositoriesInfiniteQuery } from "@devflow/web-data-access";
import { Alert, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useMemo } from "react";
import { readWindowDays, windowOf } from "./delivery-window";
import { DrillDown } from "./DrillDown";
import { AiAssistanceSplit, LeadTimeBreakdown } from "./LeadTimeBreakdown";
import { MetricTiles } from "./MetricTiles";
import { SeriesChart } from "./SeriesChart";
import styles from "./delivery.module.css";

export interface DeliveryMetricsViewProps {
  organization: MyOrganizationDto;
  project: ProjectDto;
  /** Admins and owners may correct which deployment an incident is attributed to. */
  canAttribute: boolean;
  /** Admins and owners link repositories to projects (Settings → Integrations). */
  canLinkRepositories: boolean;
}

/**
 * A project's DORA metrics from its GitHub repositories' production deployments: the four tiles,
 * the series, the lead time breakdown, the human vs AI-assisted split, and every row behind them.
 * The window (`?days=30|90|180`) lives in the URL so a reload or a shared link shows the same view.
 */
export function DeliveryMetricsView({
  organization,
  project,
  canAttribute,
  canLinkRepositories,
}: DeliveryMetricsViewProps) {
  const router = useRouter();
  const pathname = usePathname();
  const days = readWindowDays(useSearchParams().get("days"));
  const range = useMemo(() => windowOf(days), [days]);
  const {
    currentData: report,
    error,
    isFetching,
    refetch,
  } = useGetDoraMetricsQuery({
    organizationId: organization.id,
    projectId: project.id,
    ...range,
  });
  const { data: linked } = useListRepositoriesInfiniteQuery({
    organizationId: organization.id,
    projectId: project.id,
    limit: 100,
  });
  const repositoryNames = linked?.pages.flatMap((page) => page.items.map((r) => r.fullName)) ?? [];
  const linkRepositoriesHref = `/${organization.slug}/settings/integrations#repositories`;
  const isEmpty =
    report && report.deployments.length === 0 && report.pullRequests.length === 0 && report.incidents.length === 0;

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
        <span aria-current="page">Delivery metrics</span>
      </nav>
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Delivery metrics</h1>
          <p className="page-subtitle">
            DORA metrics of {project.name} from its GitHub repositories&apos; production deployments, pull requests and
            incidents. Days are in UTC.
          </p>
        </div>
      </header>

      <div className={styles.toolbar}>
        <div className={styles.segmented} role="group" aria-label="Window">
          {DORA_WINDOW_DAYS_OPTIONS.map((option) => (
            <button
              key={option}
              type="button"
              className={styles.segment}
              aria-pressed={days === option}
              onClick={() => router.push(`${pathname}?days=${option}`, { scroll: false })}
              data-testid={`dora-window-${option}`}
            >
              {option} days
            </button>
          ))}
        </div>
        {report && (
          <span className={styles.muted}>
            {report.from} → {report.to} (exclusive) · {report.environment} · {report.repositoryCount}{" "}
            {report.repositoryCount === 1 ? "repository" : "repositories"}
          </span>
        )}
      </div>
      {repositoryNames.length > 0 && (
        <p className={styles.muted} data-testid="dora-repositories">
          Linked repositories: {repositoryNames.join(", ")}
        </p>
      )}

      {error !== undefined && (
        <Alert
          title="Could not load the delivery metrics"
          action={
            <Button size="sm" onClick={() => void refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(error)}
        </Alert>
      )}
      {!report && isFetching && (
        <div className="panel">
          <SkeletonList rows={5} label="Loading the delivery metrics" />
        </div>
      )}
      {isEmpty && (
        <EmptyState
          testId="dora-empty"
          title={
            report.repositoryCount === 0
              ? "Link a repository to see metrics"
              : `Nothing deployed in the last ${days} days`
          }
          description={
            report.repositoryCount === 0
              ? `Delivery metrics come from the GitHub repositories linked to this project: their production deployments, merged pull requests and incidents (issues labelled incident). No repository is linked to this project yet; ${canLinkRepositories ? "link one under Settings → Integrations → Repositories" : "an admin links repositories under Settings → Integrations"}.`
              : "Deployments, merged pull requests and incidents of this project's repositories show up here as they happen. Try a longer window."
          }
          action={
            report.repositoryCount === 0 && canLinkRepositories ? (
              <Link
                href={linkRepositoriesHref}
                className="ui-button ui-button--secondary"
                data-testid="dora-link-repository"
              >
                Link a repository
              </Link>
            ) : undefined
          }
        />
      )}
      {report && !isEmpty && (
        <div className={styles.content} data-testid="dora-report">
          <MetricTiles report={report} />
          <SeriesChart series={report.series} granularity={report.granularity} />
          <LeadTimeBreakdown leadTime={report.leadTime} />
          <AiAssistanceSplit report={report} />
          <DrillDown report={report} organizationId={organization.id} canAttribute={canAttribute} />
        </div>
      )}
    </div>
  );
}
