import { isUuid } from "@devflow/util-core";
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { IssuesView } from "@/modules/issues/IssuesView";

export const metadata: Metadata = { title: "Issues" };

/** Anyone who may see the project may see its issues and their triage (it only reads). */
export default async function IssuesPage({ params }: { params: Promise<{ orgSlug: string; projectId: string }> }) {
  const { orgSlug, projectId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(projectId)) notFound();
  const project = await loadOr404((s) => s.projects.get(ctx, projectId));
  return <IssuesView organization={organization} project={project} />;
}
