import Link from "next/link";

/** The project page's link to the AI activity page, filtered to the project. */
export function ProjectActivityLink({ orgSlug, projectId }: { orgSlug: string; projectId: string }) {
  return (
    <Link
      href={`/${encodeURIComponent(orgSlug)}/ai-activity?projectId=${encodeURIComponent(projectId)}`}
      className="ui-button ui-button--secondary"
      data-testid="project-ai-activity"
    >
      AI activity
    </Link>
  );
}
