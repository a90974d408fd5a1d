import type { Metadata } from "next";
import { requireOrganization } from "@/lib/page-session";
import { WorkflowRunsView } from "@/modules/settings/workflows/WorkflowRunsView";
import { WorkflowsAdminsOnly } from "@/modules/settings/workflows/WorkflowsAdminsOnly";

export const metadata: Metadata = { title: "Workflows" };

/** Admins see every workflow run and retry the failed ones. */
export default async function WorkflowsPage({ params }: { params: Promise<{ orgSlug: string }> }) {
  const { organization } = await requireOrganization((await params).orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <WorkflowsAdminsOnly organizationName={organization.name} />;
  }
  return <WorkflowRunsView organization={organization} />;
}
