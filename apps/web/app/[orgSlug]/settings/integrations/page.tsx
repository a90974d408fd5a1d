import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { services } from "@/lib/services";
import { IntegrationsAdminsOnly, IntegrationsView } from "@/modules/settings/integrations/IntegrationsView";

export const metadata: Metadata = { title: "Integrations" };

/** Admins connect GitHub and see (and retry) the jobs that failed. */
export default async function IntegrationsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization, ctx } = await requireOrganization((await params).orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <IntegrationsAdminsOnly organizationName={organization.name} />;
  }
  const { integrations } = await services();
  const [connected, failedJobs] = await Promise.all([integrations.list(ctx), integrations.listFailedJobs(ctx)]);
  return <IntegrationsView organization={organization} integrations={connected} failedJobs={failedJobs} />;
}
