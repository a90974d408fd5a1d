import { isUuid } from "@devflow/util-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { requireOrganization } from "@/lib/page-session";
import { WorkflowRunView } from "@/modules/settings/workflows/WorkflowRunView";
import { WorkflowsAdminsOnly } from "@/modules/settings/workflows/WorkflowsAdminsOnly";

export const metadata: Metadata = { title: "Workflow run" };

/** One workflow run with its steps, for admins; whether it is this organization's is the API's answer. */
export default async function WorkflowRunPage({ params }: { params: Promise<{ orgSlug: string; runId: string }> }) {
  const { orgSlug, runId } = await params;
  const { organization } = await requireOrganization(orgSlug);
  if (organization.role !== "owner" && organization.role !== "admin") {
    return <WorkflowsAdminsOnly organizationName={organization.name} />;
  }
  if (!isUuid(runId)) notFound();
  return <WorkflowRunView organization={organization} runId={runId} />;
}
