import Link from "next/link";

/** The project page's link to its release readiness per milestone. */
export function ProjectReleasesLink({ orgSlug, projectId }: { orgSlug: string; projectId: string }) {
  return (
    <Link
      href={`/${encodeURIComponent(orgSlug)}/projects/${encodeURIComponent(projectId)}/releases`}
      className="ui-button ui-button--secondary"
      data-testid="project-releases"
    >
      Releases
    </Link>
  );
}
