import { can } from "@devflow/auth";
import { isUuid } from "@devflow/util-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { DeliveryMetricsView } from "@/modules/delivery/DeliveryMetricsView";

export const metadata: Metadata = { title: "Delivery metrics" };

/**
 * Anyone who may see the project may see its delivery metrics; admins and owners may correct
 * attributions and are pointed to where repositories are linked.
 */
export default async function DeliveryMetricsPage({
  params,
}: {
  params: Promise<{ orgSlug: string; projectId: string }>;
}) {
  const { orgSlug, projectId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(projectId)) notFound();
  const project = await loadOr404((s) => s.projects.get(ctx, projectId));
  const canManageIntegrations = can(ctx.actor, "integrations:manage");
  return (
    // The view reads its window from the URL (useSearchParams), which needs a Suspense boundary.
    <Suspense>
      <DeliveryMetricsView
        organization={organization}
        project={project}
        canAttribute={canManageIntegrations}
        canLinkRepositories={canManageIntegrations}
      />
    </Suspense>
  );
}
