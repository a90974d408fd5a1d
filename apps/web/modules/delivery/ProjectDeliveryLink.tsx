import Link from "next/link";

/** The project page's link to its delivery (DORA) metrics. */
export function ProjectDeliveryLink({ orgSlug, projectId }: { orgSlug: string; projectId: string }) {
  return (
    <Link
      href={`/${encodeURIComponent(orgSlug)}/projects/${encodeURIComponent(projectId)}/delivery`}
      className="ui-button ui-button--secondary"
      data-testid="project-delivery-metrics"
    >
      Delivery metrics
    </Link>
  );
}
