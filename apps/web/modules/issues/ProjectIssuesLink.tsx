import Link from "next/link";

/** The project page's link to the issues of its linked repositories, with their triage. */
export function ProjectIssuesLink({ orgSlug, projectId }: { orgSlug: string; projectId: string }) {
  return (
    <Link
      href={`/${encodeURIComponent(orgSlug)}/projects/${encodeURIComponent(projectId)}/issues`}
      className="ui-button ui-button--secondary"
      data-testid="project-issues"
    >
      Issues
    </Link>
  );
}
