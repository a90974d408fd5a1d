"use client";

import type { MyOrganizationDto, ProjectDto } from "@devflow/contracts";
import { errorMessage, useGetReleaseReadinessQuery, useListMilestonesQuery } from "@devflow/web-data-access";
import { Alert, Badge, Button, EmptyState, SkeletonList } from "@devflow/web-ui";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { VERDICT_LABELS } from "./labels";
import { MilestoneList } from "./MilestoneList";
import { ReleaseGateCard } from "./ReleaseGateCard";
import styles from "./releases.module.css";

export interface ReleasesViewProps {
  organization: MyOrganizationDto;
  project: ProjectDto;
}

/**
 * Release readiness per GitHub milestone of a project: the milestones on the left, the chosen one's
 * overall verdict and gates on the right. The milestone (`?milestone=<title>`) lives in the URL so
 * a reload or a shared link shows the same release.
 */
export function ReleasesView({ organization, project }: ReleasesViewProps) {
  const router = useRouter();
  const pathname = usePathname();
  const selected = useSearchParams().get("milestone");
  const scope = { organizationId: organization.id, projectId: project.id };
  const list = useListMilestonesQuery(scope);
  const milestones = list.data?.milestones ?? [];
  const select = (title: string) =>
    router.push(`${pathname}?milestone=${encodeURIComponent(title)}`, { scroll: false });

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
        <span aria-current="page">Releases</span>
      </nav>
      <header className="page-header">
        <div className="page-header__text">
          <h1 className="page-title">Releases</h1>
          <p className="page-subtitle">
            Release readiness of {project.name} per GitHub milestone: pull request risk, open blockers, design doc
            approvals, failing checks and the DORA trend.
          </p>
        </div>
      </header>

      {list.error !== undefined && (
        <Alert
          title="Could not load the milestones"
          action={
            <Button size="sm" onClick={() => void list.refetch()}>
              Try again
            </Button>
          }
        >
          {errorMessage(list.error)}
        </Alert>
      )}
      {list.isLoading && (
        <div className="panel">
          <SkeletonList rows={4} label="Loading the milestones" />
        </div>
      )}
      {list.data && milestones.length === 0 && (
        <EmptyState
          testId="releases-empty"
          title="No milestones yet"
          description="Milestones come from GitHub pull requests and issues of this project's linked repositories."
        />
      )}
      {milestones.length > 0 && (
        <div className={styles.layout}>
          <MilestoneList milestones={milestones} selected={selected} onSelect={select} />
          {selected ? (
            <Readiness organization={organization} project={project} milestone={selected} />
          ) : (
            <p className={styles.muted}>Choose a milestone to see its release readiness.</p>
          )}
        </div>
      )}
    </div>
  );
}

function Readiness({ organization, project, milestone }: ReleasesViewProps & { milestone: string }) {
  const {
    currentData: readiness,
    error,
    isFetching,
    refetch,
  } = useGetReleaseReadinessQuery({
    organizationId: organization.id,
    projectId: project.id,
    milestone,
  });
  if (error !== undefined) {
    return (
      <Alert
        title={`Could not assess ${milestone}`}
        action={
          <Button size="sm" onClick={() => void refetch()}>
            Try again
          </Button>
        }
      >
        {errorMessage(error)}
      </Alert>
    );
  }
  if (!readiness) {
    return isFetching ? (
      <div className="panel">
        <SkeletonList rows={5} label="Assessing the release" />
      </div>
    ) : null;
  }
  const overall = VERDICT_LABELS[readiness.overall];
  return (
    <div className={styles.gates} data-testid="release-readiness">
      <div className={styles.overall}>
        <span>{readiness.milestone}</span>
        <Badge tone={overall.tone} testId="release-overall">
          {overall.label}
        </Badge>
        <span className={styles.muted}>
          {readiness.dueAt ? `due ${readiness.dueAt.slice(0, 10)} · ` : ""}assessed{" "}
          {readiness.assessedAt.slice(0, 16).replace("T", " ")} UTC
        </span>
      </div>
      {readiness.gates.map((gate) => (
        <ReleaseGateCard key={gate.gate} gate={gate} orgSlug={organization.slug} />
      ))}
    </div>
  );
}
