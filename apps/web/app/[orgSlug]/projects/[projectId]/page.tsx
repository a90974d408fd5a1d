import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { isUuid } from "@devflow/util-core";
import { loadOr404, requireOrganization } from "@/lib/page-session";
import { DocumentsView } from "@/modules/documents/DocumentsView";

export const metadata: Metadata = { title: "Documents" };

export default async function ProjectPage({ params }: { params: Promise<{ orgSlug: string; projectId: string }> }) {
  const { orgSlug, projectId } = await params;
  const { organization, ctx } = await requireOrganization(orgSlug);
  if (!isUuid(projectId)) notFound();
  const project = await loadOr404((s) => s.projects.get(ctx, projectId));
  return <DocumentsView organization={organization} project={project} />;
}
